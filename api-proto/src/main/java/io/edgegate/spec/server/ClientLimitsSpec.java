package io.edgegate.spec.server;

import io.edgegate.spec.codec.SpecObject;

/**
 * EdgeGate's per-client connection limits on an HTTPServer (DDoS protection, like NGINX's
 * limit_conn): at most {@code maxConnections} open connections and {@code newPerSecond} new
 * ones per second from one client IP (the socket's peer: nothing of the request is read yet).
 * Excess connections are closed as they are accepted. {@code trackedClients} bounds the memory
 * kept for connection rates; 0 turns a limit off.
 */
public record ClientLimitsSpec(int maxConnections, int newPerSecond, int trackedClients) {

    static ClientLimitsSpec decode(SpecObject o) {
        int max = o.integer("maxConnections", 0, 0, Integer.MAX_VALUE);
        int rate = o.integer("newPerSecond", 0, 0, Integer.MAX_VALUE);
        int tracked = o.integer("trackedClients", 100_000, 1, 10_000_000);
        if (max == 0 && rate == 0) {
            o.error("set maxConnections or newPerSecond (per client IP)");
        }
        o.finish();
        return new ClientLimitsSpec(max, rate, tracked);
    }
}
