package io.edgegate.controlplane.discovery;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeMessage;
import io.edgegate.controlplane.cluster.MemberRegistry;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigDelta;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.edgegate.controlplane.security.NodeCertificate;
import io.edgegate.controlplane.security.SecurityCounters;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One data plane's stream. After the node's hello it is sent the full snapshot, then, each
 * time the config changes and the stream can take more, the difference to the newest
 * snapshot. A node that reads slowly is never queued a backlog: while gRPC says the stream
 * is not ready nothing is sent, and when it is ready again it gets one delta to the newest
 * state. When the store's epoch changes the node gets a full snapshot of the new one, except
 * a node that runs a config while the new epoch started with an empty store: it keeps its
 * config until an operator accepts the store. A node that reports a revision of the current
 * epoch the store has not reached is not sent an older one: that is a store whose history went
 * back, and the cache is told.
 */
final class NodeSession implements StreamObserver<NodeMessage>, Consumer<ConfigSnapshot> {

    private static final Logger log = LoggerFactory.getLogger(NodeSession.class);
    static final int SILENT_HEARTBEATS = 3;
    static final long SILENCE_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ServerCallStreamObserver<ConfigUpdate> out;
    private final ConfigCache cache;
    private final MemberRegistry members;
    private final ConfigDelta.Memo deltas;
    private String nodeId;
    /** What the node said it runs when it connected. */
    private String helloEpoch = "";
    private long helloRevision;
    /** Whether the node applies object patches (a node of an earlier version is sent objects whole). */
    private boolean acceptsPatches;
    private ConfigSnapshot sent;
    private boolean closed;
    /** From the hello: how often the node promised a heartbeat (0: it sends none, so silence means nothing). */
    private volatile long heartbeatNanos;
    private volatile long lastMessageNanos = System.nanoTime();

    private final Optional<NodeCertificate> certifiedNode;
    private final SecurityCounters counters;
    private final AckObserver acks;

    NodeSession(ServerCallStreamObserver<ConfigUpdate> out, ConfigCache cache, MemberRegistry members, ConfigDelta.Memo deltas,
                Optional<NodeCertificate> certifiedNode, SecurityCounters counters, AckObserver acks) {
        this.acks = acks;
        this.certifiedNode = certifiedNode;
        this.counters = counters;
        this.out = out;
        this.cache = cache;
        this.members = members;
        this.deltas = deltas;
    }

    @Override
    public void onNext(NodeMessage message) {
        lastMessageNanos = System.nanoTime();
        switch (message.getBodyCase()) {
            case HELLO -> hello(message.getHello());
            case ACK -> ack(message.getAck());
            case HEARTBEAT -> {
                if (nodeId() != null) {
                    members.seen(nodeId(), this, message.getHeartbeat());
                }
            }
            default -> log.debug("ignoring empty message from {}", nodeId());
        }
    }

    private void hello(NodeHello hello) {
        if (hello.getNodeId().isBlank()) {
            fail(Status.INVALID_ARGUMENT.withDescription("hello without a node id"));
            return;
        }
        if (certifiedNode.isPresent() && !certifiedNode.get().nodeId().equals(hello.getNodeId())) {
            // A node may only speak for itself: otherwise one stolen certificate could replace any node's record.
            String named = certifiedNode.get().nodeId();
            log.warn("refused a config stream from {}: its hello says node {} but its certificate names node {}",
                    hello.getAddress(), hello.getNodeId(), named);
            counters.refusedNode();
            fail(Status.PERMISSION_DENIED.withDescription("this certificate names node " + named
                    + ", not " + hello.getNodeId() + "; start the node with --node-id " + named
                    + " or give it its own certificate"));
            return;
        }
        synchronized (this) {
            if (nodeId != null) {
                return;
            }
            nodeId = hello.getNodeId();
            heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, hello.getHeartbeatMillis()));
            helloEpoch = hello.getAppliedEpoch();
            helloRevision = hello.getAppliedRevision();
            acceptsPatches = hello.getAcceptsPatches();
        }
        log.info("node {} connected from {} (applied revision {} of epoch {}){}", hello.getNodeId(), hello.getAddress(),
                hello.getAppliedRevision(), hello.getAppliedEpoch().isEmpty() ? "none" : hello.getAppliedEpoch(),
                certifiedNode.map(c -> " with certificate serial " + c.serial() + " valid until " + c.notAfter()).orElse(""));
        members.connected(hello, this);
        cache.subscribe(this);
        sendLatest();
    }

    private void ack(ConfigAck ack) {
        String id = nodeId();
        if (id == null) {
            fail(Status.FAILED_PRECONDITION.withDescription("a node must say hello before anything else"));
            return;
        }
        if (ack.getError().isEmpty()) {
            if (!ack.getWarning().isEmpty()) {
                log.warn("node {} applied revision {} of epoch {} with a warning: {}", id, ack.getRevision(), ack.getEpoch(), ack.getWarning());
            }
            members.applied(id, this, ack.getEpoch(), ack.getRevision(), ack.getWarning());
            if (!ack.getEpoch().equals(helloEpoch) || ack.getRevision() > helloRevision) {
                // A revision the node already ran before it (re)connected is no propagation to time.
                acks.applied(id, ack.getEpoch(), ack.getRevision());
            }
        } else {
            log.warn("node {} rejected revision {} of epoch {}: {}", id, ack.getRevision(), ack.getEpoch(), ack.getError());
            members.rejected(id, this, ack.getEpoch(), ack.getRevision(), ack.getError());
        }
    }

    @Override
    public void accept(ConfigSnapshot snapshot) {
        sendLatest();
    }

    /** Sends the newest snapshot (as a delta to what the node has) if the stream can take it. */
    synchronized void sendLatest() {
        if (closed || nodeId == null || !cache.isReady() || !out.isReady()) {
            return;
        }
        ConfigSnapshot latest = cache.current();
        if (sent != null && sent.sameEpoch(latest) && latest.revision() <= sent.revision()) {
            return;
        }
        String runsEpoch = sent != null ? sent.epoch().id() : helloEpoch;
        boolean runsConfig = sent != null ? !sent.objects().isEmpty() : helloRevision > 0;
        if (sent == null && latest.epoch().id().equals(helloEpoch) && helloRevision > latest.revision()) {
            // It runs a revision this epoch has not reached here: the store went back, or this replica lags.
            cache.nodeReports(helloEpoch, helloRevision);
            return;
        }
        if (!runsEpoch.equals(latest.epoch().id()) && runsConfig && latest.epoch().holdsEarlierConfigs()) {
            // An empty-started epoch does not take a node's routes away unasked (egctl accept-store).
            return;
        }
        ConfigUpdate update = deltas.update(sent, latest, acceptsPatches);
        try {
            out.onNext(update);
            sent = latest;
        } catch (RuntimeException e) {
            log.debug("stream to {} is gone: {}", nodeId, e.toString());
            closed();
        }
    }

    @Override
    public void onError(Throwable t) {
        log.info("node {} disconnected: {}", nodeId(), Status.fromThrowable(t).getCode());
        closed();
    }

    @Override
    public void onCompleted() {
        log.info("node {} closed its stream", nodeId());
        closed();
        synchronized (this) {
            try {
                out.onCompleted();
            } catch (RuntimeException e) {
                log.debug("completing stream", e);
            }
        }
    }

    void closed() {
        String id;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            id = nodeId;
        }
        cache.unsubscribe(this);
        if (id != null) {
            members.disconnected(id, this);
        }
    }

    /**
     * Closes the stream of a node that promised heartbeats and sent nothing for {@link #SILENT_HEARTBEATS}
     * of them and a second more: its link drops packets silently (a partition, a half-dead connection),
     * and TCP or keepalives would take far longer to say so. A node that is only slow reconnects and
     * is sent the latest config again.
     */
    boolean closeIfSilent(long nowNanos) {
        long every = heartbeatNanos;
        if (every == 0 || isClosed()) {
            return isClosed();
        }
        long silent = nowNanos - lastMessageNanos;
        if (silent <= SILENT_HEARTBEATS * every + SILENCE_SLACK_NANOS) {
            return false;
        }
        String description = "no message for " + silent / 1_000_000 + " ms from a node that sends a heartbeat every "
                + every / 1_000_000 + " ms: the link is down or drops packets; closing its stream";
        log.warn("node {}: {}", nodeId(), description);
        fail(Status.UNAVAILABLE.withDescription(description));
        return true;
    }

    /**
     * Closes the stream of a node whose certificate expired while it was connected: the certificate was
     * checked when the stream opened, and every config sent after it may carry private keys. The node
     * reconnects with the certificate it renewed (its files are re-read), or not at all.
     */
    boolean closeIfCertificateExpired(Instant now) {
        if (certifiedNode.isEmpty() || isClosed() || !now.isAfter(certifiedNode.get().notAfter())) {
            return isClosed();
        }
        return closeUnauthenticated("the node's certificate expired at " + certifiedNode.get().notAfter()
                + "; closing its stream (it reconnects with a renewed certificate)");
    }

    /**
     * Closes the stream if the node's certificate chain is no longer {@code trusted} (its CA left the control
     * plane's bundle): the stream was checked when it opened, and would otherwise go on receiving every config.
     */
    boolean closeIfNoLongerTrusted(java.util.function.Predicate<java.util.List<java.security.cert.X509Certificate>> trusted) {
        if (certifiedNode.isEmpty() || isClosed() || trusted.test(certifiedNode.get().chain())) {
            return isClosed();
        }
        return closeUnauthenticated("the node's certificate (serial " + certifiedNode.get().serial()
                + ") is no longer signed by a CA the control plane trusts; closing its stream");
    }

    private boolean closeUnauthenticated(String description) {
        log.warn("node {}: {}", nodeId(), description);
        fail(Status.UNAUTHENTICATED.withDescription(description));
        return true;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void fail(Status status) {
        closed();
        // One caller at a time on the stream observer: sendLatest and the silence watchdog hold this lock too.
        synchronized (this) {
            try {
                out.onError(status.asRuntimeException());
            } catch (RuntimeException e) {
                log.debug("failing stream", e);
            }
        }
    }

    private synchronized String nodeId() {
        return nodeId;
    }
}
