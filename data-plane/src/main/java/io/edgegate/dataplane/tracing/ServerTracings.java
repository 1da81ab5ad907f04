package io.edgegate.dataplane.tracing;

import io.edgegate.spec.server.HttpServerSpec;
import io.edgegate.spec.server.TracingSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracing of each HTTPServer: its own {@code tracing} block's, or the node's. A block that
 * did not change keeps its running tracer provider across applies (and its queued spans); one
 * no server uses any more is shut down once the new config is in service.
 */
public final class ServerTracings {

    private static final Logger log = LoggerFactory.getLogger(ServerTracings.class);

    private final String nodeId;
    private final Tracing node;
    private Map<TracingSpec, Tracing> running = Map.of();

    public ServerTracings(String nodeId, Tracing node) {
        this.nodeId = nodeId;
        this.node = node;
    }

    /**
     * The next config's tracings, reusing running ones; nothing is retired until {@link #commit}.
     * If one cannot be started, those started here stop and the failure is thrown.
     */
    public Prepared prepare(List<HttpServerSpec> servers) {
        Map<TracingSpec, Tracing> next = new HashMap<>();
        Map<String, Tracing> byServer = new HashMap<>();
        try {
            for (HttpServerSpec server : servers) {
                Tracing tracing = server.tracing().map(spec -> next.computeIfAbsent(spec,
                        s -> running.containsKey(s) ? running.get(s) : ServerTracing.start(s, nodeId))).orElse(node);
                byServer.put(server.name(), tracing);
            }
        } catch (RuntimeException e) {
            discard(new Prepared(next, byServer));
            throw e;
        }
        return new Prepared(Map.copyOf(next), Map.copyOf(byServer));
    }

    /** The prepared config is in service: tracings it no longer uses stop. */
    public void commit(Prepared prepared) {
        running.forEach((spec, tracing) -> {
            if (!prepared.bySpec.containsKey(spec)) {
                tracing.shutdown();
            }
        });
        prepared.bySpec.forEach((spec, tracing) -> {
            if (!running.containsKey(spec)) {
                log.info("tracing {}", tracing);
            }
        });
        running = prepared.bySpec;
    }

    /** The prepared config was rejected: tracings made for it stop. */
    public void discard(Prepared prepared) {
        prepared.bySpec.forEach((spec, tracing) -> {
            if (running.get(spec) != tracing) {
                tracing.shutdown();
            }
        });
    }

    /** At the node's end: every tracing flushes what it holds and stops. */
    public void shutdown() {
        running.values().forEach(t -> t.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS));
        running = Map.of();
        node.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The tracings of a config being applied, by server name. */
    public record Prepared(Map<TracingSpec, Tracing> bySpec, Map<String, Tracing> byServer) {

        public Tracing of(String server) {
            return byServer.getOrDefault(server, Tracing.off());
        }
    }
}
