package io.edgegate.controlplane.admin;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.controlplane.cluster.ClusterView;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.security.SecurityCounters;
import io.edgegate.metrics.Metrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A control-plane replica's metrics: the store revision it serves, the nodes by state and each
 * node's applied revision and last contact (series of forgotten nodes go), API calls by method
 * and code, refused calls and streams, and whether it runs with --insecure. Node states are read
 * when scraped, on the admin listener's thread.
 */
public final class ControlPlaneMetrics implements AutoCloseable {

    static final int MAX_SERIES_PER_METRIC = 10_000;

    private final Metrics metrics;
    private final ConfigCache cache;
    private final ClusterView view;
    private final MultiGauge nodesByState;
    private final MultiGauge appliedRevision;
    private final MultiGauge lastSeen;
    private final Timer propagation;
    private final String replica;
    private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();

    public ControlPlaneMetrics(String replica, ConfigCache cache, ClusterView view, SecurityCounters security, boolean insecure) {
        this.metrics = new Metrics(List.of(Tag.of("control_plane", replica)), MAX_SERIES_PER_METRIC);
        metrics.bindProcessMetrics();
        this.cache = cache;
        this.view = view;
        this.replica = replica;
        MeterRegistry registry = metrics.registry();
        propagation = Timer.builder("edgegate.config.propagation")
                .description("From this replica seeing a config revision to a node confirming it applied it")
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(registry);
        Gauge.builder("edgegate.discovery.streams", streams, java.util.concurrent.atomic.AtomicInteger::get)
                .description("Data-plane config streams connected to this replica").register(registry);
        Gauge.builder("edgegate.store.revision", cache, c -> c.isReady() ? c.current().revision() : 0)
                .description("The config revision this replica serves").register(registry);
        Gauge.builder("edgegate.store.reachable", cache, c -> c.storeReachable() ? 1 : 0)
                .description("1 while the store (etcd) answers this replica").register(registry);
        Gauge.builder("edgegate.control.plane.insecure", () -> insecure ? 1 : 0).strongReference(true)
                .description("1 when this replica runs with --insecure (no TLS, no tokens)").register(registry);
        nodesByState = MultiGauge.builder("edgegate.cluster.nodes").description("Data-plane nodes by state").register(registry);
        appliedRevision = MultiGauge.builder("edgegate.cluster.node.applied.revision")
                .description("The revision each node last applied").register(registry);
        lastSeen = MultiGauge.builder("edgegate.cluster.node.last.seen").baseUnit("seconds")
                .description("When each node was last heard from (Unix time)").register(registry);
        FunctionCounter.builder("edgegate.api.refused", security, SecurityCounters::unauthenticatedCalls).tag("reason", "unauthenticated")
                .description("API calls and config streams refused, by reason").register(registry);
        FunctionCounter.builder("edgegate.api.refused", security, SecurityCounters::deniedCalls).tag("reason", "permission_denied")
                .register(registry);
        FunctionCounter.builder("edgegate.api.refused", security, SecurityCounters::rateLimitedCalls).tag("reason", "rate_limited")
                .register(registry);
        FunctionCounter.builder("edgegate.api.refused", security, SecurityCounters::refusedNodeStreams).tag("reason", "node_identity")
                .register(registry);
    }

    public MeterRegistry registry() {
        return metrics.registry();
    }

    /** A node applied a revision: how long it took from this replica seeing it (revisions of an earlier epoch are not timed). */
    public void nodeApplied(String nodeId, String epoch, long revision) {
        if (!cache.isReady() || !epoch.equals(cache.current().epoch().id())) {
            return;
        }
        cache.seenAt(revision).ifPresent(seen -> propagation.record(Math.max(0, System.currentTimeMillis() - seen),
                java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    /** Reads the node states now, then renders every metric. */
    public String scrape() {
        if (cache.isReady()) {
            List<Member> members = view.members(cache.current());
            Map<MemberState, Integer> counts = new EnumMap<>(MemberState.class);
            List<MultiGauge.Row<?>> revisions = new ArrayList<>();
            List<MultiGauge.Row<?>> seen = new ArrayList<>();
            int connectedHere = 0;
            for (Member member : members) {
                counts.merge(member.getState(), 1, Integer::sum);
                if (member.getConnected() && member.getControlPlane().equals(replica)) {
                    connectedHere++;
                }
                Tags node = Tags.of("node_id", member.getNodeId());
                revisions.add(MultiGauge.Row.of(node, member.getAppliedRevision()));
                seen.add(MultiGauge.Row.of(node, member.getLastSeenMillis() / 1000.0));
            }
            List<MultiGauge.Row<?>> states = new ArrayList<>();
            for (MemberState state : List.of(MemberState.READY, MemberState.BEHIND, MemberState.REJECTED, MemberState.DISCONNECTED)) {
                states.add(MultiGauge.Row.of(Tags.of("state", state.name().toLowerCase(Locale.ROOT)), counts.getOrDefault(state, 0)));
            }
            streams.set(connectedHere);
            nodesByState.register(states, true);
            appliedRevision.register(revisions, true);
            lastSeen.register(seen, true);
        }
        return metrics.scrape();
    }

    @Override
    public void close() {
        metrics.close();
    }
}
