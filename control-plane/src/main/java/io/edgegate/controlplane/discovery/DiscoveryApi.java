package io.edgegate.controlplane.discovery;

import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeMessage;
import io.edgegate.controlplane.cluster.MemberRegistry;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigDelta;
import io.edgegate.controlplane.security.CallAuthorization;
import io.edgegate.controlplane.security.NodeCertificate;
import io.edgegate.controlplane.security.SecurityCounters;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.grpc.stub.StreamObserver;
import java.time.Instant;

/** Accepts data-plane streams; each becomes a {@link NodeSession}, and a stream that falls silent is closed. */
public final class DiscoveryApi extends ConfigDiscoveryGrpc.ConfigDiscoveryImplBase {

    private final ConfigCache cache;
    private final MemberRegistry members;
    private final ConfigDelta.Memo deltas = new ConfigDelta.Memo();
    private final SecurityCounters counters;
    private final AckObserver acks;
    private final Set<NodeSession> sessions = ConcurrentHashMap.newKeySet();

    /** {@code scheduler} looks for silent streams, and nodes whose certificate expired, twice a second. */
    public DiscoveryApi(ConfigCache cache, MemberRegistry members, SecurityCounters counters, AckObserver acks,
                        ScheduledExecutorService scheduler) {
        this.cache = cache;
        this.members = members;
        this.counters = counters;
        this.acks = acks;
        scheduler.scheduleWithFixedDelay(this::closeSilentStreams, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void closeSilentStreams() {
        long now = System.nanoTime();
        Instant wallNow = Instant.now();
        // A session that fails here is dropped from the watch; the others, and later sweeps, go on.
        sessions.removeIf(session -> {
            try {
                return session.closeIfSilent(now) || session.closeIfCertificateExpired(wallNow);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DiscoveryApi.class).warn("closing a silent stream failed", e);
                return true;
            }
        });
    }

    /** Closes the streams of nodes whose certificate chain is no longer {@code trusted} (the trusted CAs changed). */
    public void closeUntrusted(java.util.function.Predicate<java.util.List<java.security.cert.X509Certificate>> trusted) {
        sessions.removeIf(session -> {
            try {
                return session.closeIfNoLongerTrusted(trusted);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DiscoveryApi.class).warn("closing an untrusted stream failed", e);
                return true;
            }
        });
    }

    @Override
    public StreamObserver<NodeMessage> stream(StreamObserver<ConfigUpdate> responses) {
        ServerCallStreamObserver<ConfigUpdate> out = (ServerCallStreamObserver<ConfigUpdate>) responses;
        // Set by CallAuthorization from the stream's client certificate; absent on an insecure control plane.
        Optional<NodeCertificate> certifiedNode = Optional.ofNullable(CallAuthorization.CERTIFIED_NODE.get());
        NodeSession session = new NodeSession(out, cache, members, deltas, certifiedNode, counters, acks);
        out.setOnReadyHandler(session::sendLatest);
        out.setOnCancelHandler(session::closed);
        sessions.add(session);
        return session;
    }
}
