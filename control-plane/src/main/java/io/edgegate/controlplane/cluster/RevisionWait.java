package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WaitStarted;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Epoch;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows one version (epoch, revision) to every node connected when the wait began: reports
 * each node as it applies it (or a later revision of that epoch), rejects it, disconnects (and is
 * not back within a few seconds to say it runs it: its ACK may be what was lost), is
 * held on an earlier store history, or fails to answer before the timeout, then ends the
 * stream. Nodes the cluster knows but that are not connected are reported at once as not
 * reached: they cannot apply it now, and saying nothing of them would claim too much.
 */
final class RevisionWait implements Consumer<String> {

    /** The longest wait a client may ask for (egctl apply --wait --timeout): a rollout, not a subscription. */
    static final long MAX_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /**
     * How long a node that disconnected while it was waited for may take to come back and say what it runs. Its
     * ACK may have been lost with its connection after it applied the change; nodes reconnect within a second.
     */
    static final long RECONNECT_GRACE_MILLIS = 5_000;

    private final ServerCallStreamObserver<WaitEvent> out;
    private final ClusterView view;
    private final Supplier<ConfigSnapshot> store;
    private final WaitRequest request;
    private String epoch;
    private final ScheduledExecutorService scheduler;
    private final long committedAt;
    private final Set<String> pending = new LinkedHashSet<>();
    /** Pending nodes that disconnected, given {@link #RECONNECT_GRACE_MILLIS} to come back: the count of their departures. */
    private final java.util.Map<String, Integer> away = new java.util.HashMap<>();
    private int departures;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    RevisionWait(ServerCallStreamObserver<WaitEvent> out, ClusterView view,
                 Supplier<ConfigSnapshot> store, WaitRequest request,
                 ScheduledExecutorService scheduler, Clock clock) {
        this.out = out;
        this.view = view;
        this.store = store;
        this.request = request;
        this.scheduler = scheduler;
        this.committedAt = request.getCommittedAtMillis() > 0 ? request.getCommittedAtMillis() : clock.millis();
    }

    void start() {
        out.setOnCancelHandler(this::cancelled);
        view.subscribe(this);
        ConfigSnapshot current = store.get();
        epoch = request.getEpoch().isEmpty() ? current.epoch().id() : request.getEpoch();
        List<Member> known = view.records();
        List<String> targets = known.stream().filter(Member::getConnected).map(Member::getNodeId).toList();
        synchronized (this) {
            pending.addAll(targets);
            out.onNext(WaitEvent.newBuilder().setStarted(WaitStarted.newBuilder()
                    .setRevision(request.getRevision()).addAllNodeIds(targets)).build());
            for (Member absent : known.stream().filter(m -> !m.getConnected()).toList()) {
                out.onNext(WaitEvent.newBuilder().setNode(NodeOutcome.newBuilder()
                        .setNodeId(absent.getNodeId()).setOutcome(NodeOutcome.Outcome.NOT_REACHED)
                        .setAppliedRevision(absent.getAppliedRevision()).setAppliedEpoch(absent.getAppliedEpoch())
                        .setLastSeenMillis(absent.getLastSeenMillis())).build());
            }
            for (String node : targets) {
                evaluate(node);
            }
            if (pending.isEmpty()) {
                finish();
                return;
            }
            // At most MAX_WAIT: a wait is for a rollout, and must not keep a stream (and its token's rights) open for ever.
            long millis = request.getTimeoutMillis() > 0 ? Math.min(request.getTimeoutMillis(), MAX_WAIT_MILLIS) : 60_000;
            timeout = scheduler.schedule(this::timedOut, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void accept(String nodeId) {
        if (!finished && pending.contains(nodeId)) {
            evaluate(nodeId);
            if (pending.isEmpty()) {
                finish();
            }
        }
    }

    private void evaluate(String nodeId) {
        Optional<Member> member = view.member(nodeId);
        long revision = request.getRevision();
        if (member.isEmpty()) {
            report(nodeId, NodeOutcome.Outcome.DISCONNECTED, 0, 0, "");
            return;
        }
        Member m = member.get();
        Epoch storeEpoch = store.get().epoch();
        if (m.getConnected()) {
            away.remove(nodeId);
        }
        if (MemberStates.runs(m, epoch, revision)) {
            // Said in a hello (it reconnected), not an ACK: when it applied it is not known.
            long delay = m.getAppliedAtMillis() == 0 ? -1 : Math.max(0, m.getAppliedAtMillis() - committedAt);
            report(nodeId, NodeOutcome.Outcome.APPLIED, m.getAppliedRevision(), delay, "", m.getWarning());
        } else if (m.getRejectedEpoch().equals(epoch) && m.getRejectedRevision() >= revision && !m.getLastError().isEmpty()) {
            report(nodeId, NodeOutcome.Outcome.REJECTED, m.getAppliedRevision(), Math.max(0, m.getRejectedAtMillis() - committedAt),
                    m.getLastError());
        } else if (m.getConnected() && storeEpoch.id().equals(epoch) && MemberStates.isHeld(m, storeEpoch)) {
            report(nodeId, NodeOutcome.Outcome.HELD, m.getAppliedRevision(), 0, "held on its config of an earlier store "
                    + "history (epoch " + storeEpoch.id() + " started with an empty store); run 'egctl accept-store'");
        } else if (!m.getConnected() && !away.containsKey(nodeId)) {
            int departure = ++departures;
            away.put(nodeId, departure);
            scheduler.schedule(() -> stillAway(nodeId, departure), RECONNECT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The grace of one departure ended: a node that came back and left again meanwhile has its own. */
    private synchronized void stillAway(String nodeId, int departure) {
        if (finished || !Integer.valueOf(departure).equals(away.get(nodeId)) || !pending.contains(nodeId)) {
            return;
        }
        long applied = view.member(nodeId).map(Member::getAppliedRevision).orElse(0L);
        report(nodeId, NodeOutcome.Outcome.DISCONNECTED, applied, 0, "");
        if (pending.isEmpty()) {
            finish();
        }
    }

    private void report(String nodeId, NodeOutcome.Outcome outcome, long applied, long delay, String error) {
        report(nodeId, outcome, applied, delay, error, "");
    }

    private void report(String nodeId, NodeOutcome.Outcome outcome, long applied, long delay, String error, String warning) {
        pending.remove(nodeId);
        out.onNext(WaitEvent.newBuilder().setNode(NodeOutcome.newBuilder()
                .setNodeId(nodeId).setOutcome(outcome).setAppliedRevision(applied)
                .setDelayMillis(delay).setError(error).setWarning(warning)).build());
    }

    private synchronized void timedOut() {
        if (finished) {
            return;
        }
        for (String node : List.copyOf(pending)) {
            long applied = view.member(node).map(Member::getAppliedRevision).orElse(0L);
            report(node, away.containsKey(node) ? NodeOutcome.Outcome.DISCONNECTED : NodeOutcome.Outcome.TIMED_OUT, applied, 0, "");
        }
        finish();
    }

    private void finish() {
        finished = true;
        view.unsubscribe(this);
        if (timeout != null) {
            timeout.cancel(false);
        }
        out.onCompleted();
    }

    private synchronized void cancelled() {
        finished = true;
        view.unsubscribe(this);
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
