package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WaitStarted;
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

/**
 * Follows one revision to every node connected when the wait began: reports each node as it
 * applies the revision (or a later one), rejects it, disconnects, or fails to answer before
 * the timeout, then ends the stream.
 */
final class RevisionWait implements Consumer<String> {

    private final ServerCallStreamObserver<WaitEvent> out;
    private final ClusterView view;
    private final WaitRequest request;
    private final ScheduledExecutorService scheduler;
    private final long committedAt;
    private final Set<String> pending = new LinkedHashSet<>();
    private ScheduledFuture<?> timeout;
    private boolean finished;

    RevisionWait(ServerCallStreamObserver<WaitEvent> out, ClusterView view, WaitRequest request,
                 ScheduledExecutorService scheduler, Clock clock) {
        this.out = out;
        this.view = view;
        this.request = request;
        this.scheduler = scheduler;
        this.committedAt = request.getCommittedAtMillis() > 0 ? request.getCommittedAtMillis() : clock.millis();
    }

    void start() {
        out.setOnCancelHandler(this::cancelled);
        view.subscribe(this);
        List<String> targets = view.members(request.getRevision()).stream()
                .filter(Member::getConnected).map(Member::getNodeId).toList();
        synchronized (this) {
            pending.addAll(targets);
            out.onNext(WaitEvent.newBuilder().setStarted(WaitStarted.newBuilder()
                    .setRevision(request.getRevision()).addAllNodeIds(targets)).build());
            for (String node : targets) {
                evaluate(node);
            }
            if (pending.isEmpty()) {
                finish();
                return;
            }
            long millis = request.getTimeoutMillis() > 0 ? request.getTimeoutMillis() : 60_000;
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
        if (m.getAppliedRevision() >= revision) {
            report(nodeId, NodeOutcome.Outcome.APPLIED, m.getAppliedRevision(), m.getAppliedAtMillis() - committedAt, "");
        } else if (m.getRejectedRevision() >= revision && !m.getLastError().isEmpty()) {
            report(nodeId, NodeOutcome.Outcome.REJECTED, m.getAppliedRevision(), m.getRejectedAtMillis() - committedAt, m.getLastError());
        } else if (!m.getConnected()) {
            report(nodeId, NodeOutcome.Outcome.DISCONNECTED, m.getAppliedRevision(), 0, "");
        }
    }

    private void report(String nodeId, NodeOutcome.Outcome outcome, long applied, long delay, String error) {
        pending.remove(nodeId);
        out.onNext(WaitEvent.newBuilder().setNode(NodeOutcome.newBuilder()
                .setNodeId(nodeId).setOutcome(outcome).setAppliedRevision(applied)
                .setDelayMillis(Math.max(0, delay)).setError(error)).build());
    }

    private synchronized void timedOut() {
        if (finished) {
            return;
        }
        for (String node : List.copyOf(pending)) {
            long applied = view.member(node).map(Member::getAppliedRevision).orElse(0L);
            report(node, NodeOutcome.Outcome.TIMED_OUT, applied, 0, "");
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
