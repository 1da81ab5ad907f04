package io.edgegate.dataplane.agent;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.async.Causes;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.Heartbeat;
import io.edgegate.api.v1.TrafficSummary;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeMessage;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectPatch;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.runtime.ConfigRejectedException;
import io.edgegate.dataplane.runtime.LastGoodConfig;
import io.edgegate.dataplane.runtime.LiveState;
import io.edgegate.dataplane.runtime.RuntimeUpdater;
import io.edgegate.spec.codec.TextChange;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's config stream to a control plane open: says hello, applies each update
 * it is sent, acknowledges every revision (or reports why it rejected it), and when the
 * stream breaks reconnects with backoff, moving on to the next control-plane address.
 * Updates are applied on the stream's own callback thread, so a node that is still
 * applying does not read further and the control plane coalesces what it has not sent.
 */
public final class ConfigAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigAgent.class);
    /** What the last save of the applied config warned of (empty: saved); told again in the hello of every new stream. */
    private volatile String saveWarning = "";
    /** Announced in the hello: the control plane closes a stream silent for three of them, so a partition shows in seconds. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final List<String> targets;
    private final NodeHello identity;
    private final RuntimeUpdater updater;
    private final LastGoodConfig lastGood;
    private final ScheduledExecutorService scheduler;
    /** At most 2 s between attempts: a node cut off converges within ~3 s of its link coming back (LinkFaultsIT). */
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    /** How soon, and then at most how often, a revision the host refused is tried again. */
    static final Duration RETRY_FIRST = Duration.ofSeconds(2);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Stream stream;
    private int next;
    private boolean closed;

    private final ControlChannels channelFactory;
    private final Supplier<TrafficSummary> traffic;

    public ConfigAgent(List<String> targets, NodeHello identity, RuntimeUpdater updater, LastGoodConfig lastGood,
                       ScheduledExecutorService scheduler) {
        this(targets, identity, updater, lastGood, scheduler, ControlChannels.plaintext(), TrafficSummary::getDefaultInstance);
    }

    /** @param traffic the node's traffic since it was last asked, sent with each heartbeat (for egctl top) */
    public ConfigAgent(List<String> targets, NodeHello identity, RuntimeUpdater updater, LastGoodConfig lastGood,
                       ScheduledExecutorService scheduler, ControlChannels channelFactory, Supplier<TrafficSummary> traffic) {
        this.traffic = traffic;
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one control-plane address is needed");
        }
        this.targets = List.copyOf(targets);
        this.identity = identity;
        this.updater = updater;
        this.lastGood = lastGood;
        this.scheduler = scheduler;
        this.channelFactory = channelFactory;
        for (String target : targets) {
            channels.add(channelFactory.open(target));
        }
        channelFactory.onCredentialsChange(this::reconnectWithNewCredentials);
    }

    /**
     * A new certificate only counts from the next TLS handshake: open new channels and move the
     * stream to them. Traffic is not touched; the node keeps serving its config meanwhile.
     */
    private void reconnectWithNewCredentials() {
        List<ManagedChannel> fresh = new ArrayList<>();
        try {
            for (String target : targets) {
                fresh.add(channelFactory.open(target));
            }
        } catch (RuntimeException e) {
            fresh.forEach(ManagedChannel::shutdownNow);
            log.warn("certificate files changed but cannot be used ({}); staying on the current connection", e.toString());
            return;
        }
        List<ManagedChannel> old;
        synchronized (this) {
            if (closed) {
                fresh.forEach(ManagedChannel::shutdownNow);
                return;
            }
            old = new ArrayList<>(channels);
            channels.clear();
            channels.addAll(fresh);
            // Back to the control plane it was on (connect() moves on from 'next').
            int current = targets.indexOf(currentTarget());
            if (current >= 0) {
                next = current;
            }
        }
        log.info("certificate files changed: reconnecting to the control plane with them");
        old.forEach(ManagedChannel::shutdownNow);
    }

    public void start() {
        connect();
        scheduler.scheduleAtFixedRate(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a stream is open and has delivered at least one snapshot. */
    public synchronized boolean connected() {
        return stream != null && stream.synced;
    }

    public synchronized String currentTarget() {
        return stream == null ? "" : stream.target;
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        int index = next;
        next = (next + 1) % targets.size();
        Stream s = new Stream(targets.get(index));
        stream = s;
        ManagedChannel channel = channels.get(index);
        // Our own backoff paces attempts; gRPC's channel backoff (growing to minutes) must not stretch it.
        channel.resetConnectBackoff();
        s.open(channel);
    }

    private synchronized void streamEnded(Stream ended, Status status) {
        if (stream != ended || closed) {
            return;
        }
        stream = null;
        long delay = backoff.nextDelayMillis();
        log.warn("config stream to {} ended ({}); reconnecting in {} ms", ended.target, describe(status), delay);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void heartbeat() {
        Stream s;
        synchronized (this) {
            s = stream;
        }
        if (s != null) {
            LiveState live = liveState();
            s.send(NodeMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().addAllLive(live.objects())
                    .setEpoch(live.epoch()).setRevision(live.revision()).setTraffic(traffic.get())).build());
        }
    }

    /**
     * A status that cannot be read (a filter failing) must not stop the heartbeat that keeps the node listed. The
     * config it describes goes with it: read before an apply and sent after its ACK, it is an earlier one's.
     */
    private LiveState liveState() {
        try {
            return updater.liveState();
        } catch (RuntimeException e) {
            log.warn("cannot read the live status: {}", e.toString());
            return new LiveState(updater.appliedEpoch(), updater.appliedRevision(), List.of());
        }
    }

    @Override
    public void close() {
        Stream s;
        synchronized (this) {
            closed = true;
            s = stream;
            stream = null;
        }
        if (s != null) {
            s.finish();
        }
        channels.forEach(ManagedChannel::shutdownNow);
    }

    /** The status and, for a failed connection, its root cause: a TLS refusal must be readable in the node's log. */
    private static String describe(Status status) {
        String text = status.getDescription() == null ? status.getCode().toString() : status.getCode() + ": " + status.getDescription();
        return status.getCause() == null ? text : text + " (" + Causes.root(status.getCause()) + ")";
    }

    /** One attempt at a stream: its own view of the objects, built from a full snapshot and deltas. */
    private final class Stream implements StreamObserver<ConfigUpdate> {

        private final String target;
        private final Map<ObjectKey, StoredObject> objects = new HashMap<>();
        private StreamObserver<NodeMessage> requests;
        private volatile boolean synced;
        /** The epoch of the last full snapshot on this stream: the objects held are a whole config of it, deltas and all. */
        private String snapshotEpoch = "";
        /**
         * Held while an update or a new try of one is applied (not the stream's monitor: heartbeats are sent under
         * that, and must not wait for an apply).
         */
        private final Object applying = new Object();
        /** The next try of a revision the host refused (a port another program held); null when none is due. */
        private volatile ScheduledFuture<?> retry;
        private long retryDelayMillis;
        /** The stream broke or was closed: nothing is tried again on it. */
        private volatile boolean ended;

        Stream(String target) {
            this.target = target;
        }

        void open(ManagedChannel channel) {
            requests = ConfigDiscoveryGrpc.newStub(channel).stream(this);
            send(NodeMessage.newBuilder().setHello(held()).build());
        }

        /**
         * The hello says what this node serves: the config it applied, its last-good file included
         * (served from the start, before any control plane is asked), so that a control plane does not
         * take it away by mistake (e.g. with a store that came back empty). A file it could not serve
         * (a port taken, a certificate gone) is not claimed: the node runs nothing, and says so.
         */
        private NodeHello held() {
            NodeHello.Builder hello = identity.toBuilder().setHeartbeatMillis(HEARTBEAT.toMillis()).setAcceptsPatches(true);
            if (updater.appliedRevision() != 0) {
                hello.setAppliedEpoch(updater.appliedEpoch()).setAppliedRevision(updater.appliedRevision())
                        .setAppliedWarning(saveWarning);
            }
            return hello.build();
        }

        synchronized void send(NodeMessage message) {
            try {
                requests.onNext(message);
            } catch (RuntimeException e) {
                log.debug("cannot send to {}: {}", target, e.toString());
            }
        }

        synchronized void finish() {
            ended = true;
            cancelRetry();
            try {
                requests.onCompleted();
            } catch (RuntimeException e) {
                log.debug("closing stream", e);
            }
        }

        @Override
        public void onNext(ConfigUpdate update) {
            synchronized (applying) {
                take(update);
            }
        }

        private void take(ConfigUpdate update) {
            cancelRetry();
            if (update.getFullSnapshot()) {
                objects.clear();
                snapshotEpoch = update.getEpoch();
                if (!synced) {
                    log.info("connected to control plane {}", target);
                }
            } else if (!synced) {
                log.warn("ignoring a delta before any snapshot from {}", target);
                return;
            }
            update.getDeletesList().forEach(objects::remove);
            update.getUpsertsList().forEach(o -> objects.put(o.getKey(), o));
            for (ObjectPatch patch : update.getPatchesList()) {
                String refusal = applyPatch(patch);
                if (refusal != null) {
                    // This stream's view of the config is not the control plane's: a new stream starts with a full snapshot.
                    log.error("cannot apply revision {} from {}: {}; reconnecting for a full snapshot", update.getRevision(), target,
                            refusal);
                    synced = false;
                    cancel(refusal);
                    return;
                }
            }
            synced = true;
            ConfigAck.Builder ack = ConfigAck.newBuilder().setEpoch(update.getEpoch()).setRevision(update.getRevision());
            // A delta of the epoch whose snapshot this stream holds completes a whole config of it, as a snapshot does:
            // a node that could not apply the snapshot (a port briefly taken) takes the change that follows it.
            String refusal = EpochRule.refusal(updater.appliedEpoch(), update.getEpoch(),
                    update.getFullSnapshot() || update.getEpoch().equals(snapshotEpoch));
            if (refusal != null) {
                log.error("rejected revision {} of epoch {}: {}", update.getRevision(), update.getEpoch(), refusal);
                send(NodeMessage.newBuilder().setAck(ack.setError(refusal)).build());
                backoff.reset();
                return;
            }
            try {
                updater.apply(update.getEpoch(), update.getRevision(), objects.values());
                ack.setWarning(saveLastGood(update.getEpoch(), update.getRevision()));
            } catch (ConfigRejectedException e) {
                log.error("rejected revision {}: {}", update.getRevision(), e.getMessage());
                ack.setError(e.getMessage());
                if (e.mayPassLater()) {
                    retryDelayMillis = RETRY_FIRST.toMillis();
                    scheduleRetry(update.getEpoch(), update.getRevision());
                }
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                // A class that cannot be loaded (a jar replaced under a running node) or a config nested too deep is this
                // revision's failure, told in its NACK: thrown on, it ended the stream, and each new stream met it again.
                log.error("failed to apply revision {}", update.getRevision(), e);
                ack.setError("internal error: " + e);
            }
            send(NodeMessage.newBuilder().setAck(ack).build());
            // Only a stream that carried an update through resets the pace of reconnecting: one that breaks while
            // applying its first snapshot is retried ever more slowly, not every 200 ms.
            backoff.reset();
        }

        /**
         * Tries a revision the host refused again, until it runs or another update comes: a port that another
         * program held is often freed, and the node would otherwise wait for an unrelated change to serve it.
         */
        private void scheduleRetry(String epoch, long revision) {
            long delay = retryDelayMillis;
            retryDelayMillis = Math.min(retryDelayMillis * 2, RETRY_MAX.toMillis());
            try {
                retry = scheduler.schedule(() -> retry(epoch, revision), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The node is stopping.
            }
        }

        private void retry(String epoch, long revision) {
            synchronized (applying) {
                retryHeld(epoch, revision);
            }
        }

        private void retryHeld(String epoch, long revision) {
            retry = null;
            if (ended) {
                // A new stream brings the newest config (the updater applies one config at a time).
                return;
            }
            ConfigAck.Builder ack = ConfigAck.newBuilder().setEpoch(epoch).setRevision(revision);
            try {
                updater.apply(epoch, revision, objects.values());
                log.info("applied revision {} on a new try: what stood in its way is gone", revision);
                ack.setWarning(saveLastGood(epoch, revision));
            } catch (ConfigRejectedException e) {
                if (e.mayPassLater()) {
                    log.debug("revision {} still refused: {}", revision, e.getMessage());
                    scheduleRetry(epoch, revision);
                    return;
                }
                ack.setError(e.getMessage());
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                log.error("failed to apply revision {}", revision, e);
                ack.setError("internal error: " + e);
            }
            send(NodeMessage.newBuilder().setAck(ack).build());
        }

        private void cancelRetry() {
            ScheduledFuture<?> due = retry;
            if (due != null) {
                due.cancel(false);
                retry = null;
            }
        }

        /** Puts the patched object in place of the one it patches; why not when the base is not the one held. */
        private String applyPatch(ObjectPatch patch) {
            StoredObject base = objects.get(patch.getKey());
            if (base == null || base.getRevision() != patch.getBaseRevision()) {
                return patch.getKey().getKind() + "/" + patch.getKey().getName() + " is patched from revision " + patch.getBaseRevision()
                        + ", this node holds " + (base == null ? "none" : "revision " + base.getRevision());
            }
            try {
                String json = new TextChange(patch.getKeepPrefix(), patch.getKeepSuffix(), patch.getMiddle(), patch.getLength())
                        .applyTo(base.getJson());
                objects.put(patch.getKey(), base.toBuilder().setRevision(patch.getRevision()).setJson(json).build());
                return null;
            } catch (IllegalArgumentException e) {
                return patch.getKey().getKind() + "/" + patch.getKey().getName() + ": " + e.getMessage();
            }
        }

        /** Ends this stream from this side; its end is handled as any other (reconnect after a backoff). */
        private synchronized void cancel(String why) {
            try {
                requests.onError(Status.ABORTED.withDescription(why).asRuntimeException());
            } catch (RuntimeException e) {
                log.debug("cancelling stream", e);
            }
        }

        /**
         * Written before the ACK, so a node that acknowledged a revision can serve it again after a restart.
         * When it cannot be written the revision still runs, and the ACK says what a restart would serve.
         *
         * @return the ACK's warning: empty when saved
         */
        private String saveLastGood(String epoch, long revision) {
            try {
                lastGood.save(epoch, revision, objects.values());
                saveWarning = "";
            } catch (java.io.IOException | RuntimeException e) {
                // Unchecked too (a folder listing fails unchecked): the revision runs, so it is no rejection.
                log.error("cannot save the last-good config to {}: {}", lastGood.file(), e.toString());
                saveWarning = "applied, but not saved as the last-good config in " + lastGood.file().getParent() + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "): restarted without a control plane, "
                        + "this node would serve an older config";
            }
            return saveWarning;
        }

        @Override
        public void onError(Throwable t) {
            ended = true;
            streamEnded(this, Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            ended = true;
            streamEnded(this, Status.UNAVAILABLE.withDescription("control plane closed the stream"));
        }
    }
}
