package io.edgegate.spec.filter.websocketproxy;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.proxy.IdleConnectionsSpec;
import io.edgegate.spec.filter.proxy.PoolSpec;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * WebSocketProxy (Easegress v2): WebSocket connections proxied to pools of {@code ws://} or
 * {@code wss://} servers, chosen as a Proxy chooses (a pool's {@code filter}, load balancing,
 * health checks), with Easegress's per-pool {@code clientMaxMsgSize} and
 * {@code serverMaxMsgSize} (bytes of one message, default 32768 as Easegress's, -1 for no limit; a larger
 * message closes the connection with 1009) and {@code originPatterns} (hosts a cross-origin
 * handshake may come from).
 */
public record WebSocketProxySpec(String name, ProxySpec proxy, PoolOptions mainOptions, List<PoolOptions> candidateOptions)
        implements FilterSpec {

    public static final String KIND = "WebSocketProxy";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, ProxySpec.SPEC_KIND.results(), WebSocketProxySpec::decode);
    /** Easegress's default for both message limits (its websocket library's read limit): a message of this size passes. */
    public static final long DEFAULT_MAX_MESSAGE = 32768;

    /** What a pool adds for WebSocket: message limits (-1: none) and the origins it accepts. */
    public record PoolOptions(long clientMaxMsgSize, long serverMaxMsgSize, List<String> originPatterns, boolean insecureSkipVerify) {
        public PoolOptions {
            originPatterns = List.copyOf(originPatterns);
        }

        /** Whether {@code originHost} (the host of an Origin header) matches one of the patterns (path.Match, case-insensitive). */
        public boolean allowsOrigin(String originHost) {
            return originPatterns.stream().anyMatch(p -> glob(p).matcher(originHost.toLowerCase(java.util.Locale.ROOT)).matches());
        }
    }

    public WebSocketProxySpec {
        candidateOptions = List.copyOf(candidateOptions);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static WebSocketProxySpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<PoolSpec> pools = new ArrayList<>();
        List<PoolOptions> options = new ArrayList<>();
        for (SpecNode node : o.list("pools", n -> n)) {
            SpecObject pool = node.asObject();
            options.add(options(pool));
            pools.add(PoolSpec.decode(pool, true));
        }
        if (pools.isEmpty()) {
            o.error("pools", "a WebSocketProxy needs a pool of servers (pools: [{servers: [{url: ws://host:port}]}])");
            return new WebSocketProxySpec(name, new ProxySpec(name, PoolSpec.EMPTY, List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), IdleConnectionsSpec.DEFAULT), new PoolOptions(-1, -1, List.of(), false), List.of());
        }
        int mainAt = -1;
        List<PoolSpec> candidates = new ArrayList<>();
        List<PoolOptions> candidateOptions = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            if (pools.get(i).filter().isEmpty() && mainAt < 0) {
                mainAt = i;
            } else if (pools.get(i).filter().isPresent()) {
                candidates.add(pools.get(i));
                candidateOptions.add(options.get(i));
            } else {
                o.error("pools[" + i + "].filter", "exactly one pool may have no filter (the main pool)");
            }
        }
        if (mainAt < 0) {
            o.error("pools", "one pool must have no filter (the main pool)");
            mainAt = 0;
        }
        ProxySpec proxy = new ProxySpec(name, pools.get(mainAt), candidates, Optional.empty(), Optional.empty(), Optional.empty(),
                IdleConnectionsSpec.DEFAULT);
        return new WebSocketProxySpec(name, proxy, options.get(mainAt), candidateOptions);
    }

    private static PoolOptions options(SpecObject pool) {
        long client = pool.longValue("clientMaxMsgSize", DEFAULT_MAX_MESSAGE, -1, Long.MAX_VALUE);
        long server = pool.longValue("serverMaxMsgSize", DEFAULT_MAX_MESSAGE, -1, Long.MAX_VALUE);
        List<String> origins = pool.stringList("originPatterns");
        for (int i = 0; i < origins.size(); i++) {
            if (origins.get(i).contains("[") || origins.get(i).contains("\\")) {
                pool.error("originPatterns[" + i + "]", "'" + origins.get(i) + "': only * and ? are supported in origin patterns");
            }
        }
        // Upstream certificates are not verified (as NGINX's default): insecureSkipVerify asks for nothing more.
        boolean insecure = pool.bool("insecureSkipVerify", false);
        return new PoolOptions(client == 0 ? DEFAULT_MAX_MESSAGE : client, server == 0 ? DEFAULT_MAX_MESSAGE : server, origins, insecure);
    }

    /** Go's path.Match for the patterns origins use: * (any run without '/') and ? (one character). */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> regex.append("[^/]*");
                case '?' -> regex.append("[^/]");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
