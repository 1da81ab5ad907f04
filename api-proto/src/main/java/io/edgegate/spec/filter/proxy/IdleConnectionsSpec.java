package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;

/**
 * How many idle keep-alive connections a Proxy keeps to its servers (Easegress's
 * {@code maxIdleConns} and {@code maxIdleConnsPerHost}, Go's Transport fields, with Easegress's
 * defaults 10240 and 1024). As NGINX's {@code keepalive}, the bound holds per event loop: each
 * loop pools its own connections. {@code maxIdleConnsPerHost: 0} is Go's default of 2;
 * {@code maxIdleConns: 0} is no limit, and a limit bounds each server's pool too (a total over
 * all servers is not kept).
 */
public record IdleConnectionsSpec(int maxIdleConns, int maxIdleConnsPerHost) {

    public static final IdleConnectionsSpec DEFAULT = new IdleConnectionsSpec(10_240, 1_024);
    /** Go's DefaultMaxIdleConnsPerHost, taken when the field is 0. */
    private static final int GO_DEFAULT_PER_HOST = 2;

    /** Idle connections kept per server (and event loop). */
    public int perServer() {
        int perHost = maxIdleConnsPerHost == 0 ? GO_DEFAULT_PER_HOST : maxIdleConnsPerHost;
        return maxIdleConns > 0 ? Math.min(perHost, maxIdleConns) : perHost;
    }

    static IdleConnectionsSpec decode(SpecObject proxy) {
        return new IdleConnectionsSpec(proxy.integer("maxIdleConns", DEFAULT.maxIdleConns, 0, 1_000_000),
                proxy.integer("maxIdleConnsPerHost", DEFAULT.maxIdleConnsPerHost, 0, 1_000_000));
    }
}
