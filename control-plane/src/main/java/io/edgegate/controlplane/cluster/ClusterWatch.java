package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.controlplane.config.ConfigCache;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code egctl watch}: the cluster's changes ({@link ClusterChanges}) on a gRPC stream, with flow control. */
final class ClusterWatch {

    /**
     * A client that stopped reading (its flow-control window full) is closed once more than
     * {@link #MAX_EVENTS_BEHIND} events wait for it and it has not read for {@link #PATIENCE}: a
     * stuck script must not grow this replica's memory, while a reader that is merely busy with a
     * burst (one apply of a thousand objects) gets time to catch up. Beyond {@link #HARD_LIMIT}
     * waiting events it is closed at once.
     */
    static final int MAX_EVENTS_BEHIND = 256;
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final int HARD_LIMIT = 20_000;

    /** How often the watcher's token is checked again: a revoked one stops the watch within this. */
    static final Duration TOKEN_CHECK = Duration.ofSeconds(1);

    private final ServerCallStreamObserver<ClusterEvent> out;
    private final ClusterChanges changes;
    private final Clock clock;
    private final BooleanSupplier tokenStillValid;
    private final ScheduledExecutorService scheduler;
    private volatile ScheduledFuture<?> tokenChecks;
    private volatile boolean closed;
    private int sentWhileNotReady;
    private long notReadySinceNanos;

    ClusterWatch(ServerCallStreamObserver<ClusterEvent> out, ClusterView view, ConfigCache cache, Clock clock,
                 BooleanSupplier tokenStillValid, ScheduledExecutorService scheduler) {
        this.out = out;
        this.changes = new ClusterChanges(view, cache, this::send);
        this.clock = clock;
        this.tokenStillValid = tokenStillValid;
        this.scheduler = scheduler;
    }

    void start() {
        out.setOnCancelHandler(this::close);
        out.setOnReadyHandler(this::caughtUp);
        // Scheduled before the first event can close the watch, and cancelled again if one did meanwhile.
        tokenChecks = scheduler.scheduleWithFixedDelay(this::checkToken, TOKEN_CHECK.toMillis(), TOKEN_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
        changes.start();
        if (closed) {
            tokenChecks.cancel(false);
        }
    }

    /** A token revoked or expired since the watch began ends it: the stream must not outlive the right to read it. */
    private void checkToken() {
        if (closed || tokenStillValid.getAsBoolean()) {
            return;
        }
        end(Status.UNAUTHENTICATED.withDescription("the token of this watch was revoked or expired; it was closed"));
    }

    private synchronized void end(Status status) {
        if (closed) {
            return;
        }
        close();
        try {
            out.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
            // The call ended meanwhile.
        }
    }

    private synchronized void caughtUp() {
        sentWhileNotReady = 0;
    }

    private boolean fallenBehind() {
        if (out.isReady()) {
            return false;
        }
        long now = System.nanoTime();
        if (sentWhileNotReady++ == 0) {
            notReadySinceNanos = now;
        }
        return sentWhileNotReady > HARD_LIMIT
                || sentWhileNotReady > MAX_EVENTS_BEHIND && now - notReadySinceNanos > PATIENCE_NANOS;
    }

    /** Called by {@link ClusterChanges} under its lock, so events go out one at a time, in order. */
    private synchronized void send(ClusterEvent.Builder event) {
        if (closed) {
            return;
        }
        if (fallenBehind()) {
            end(Status.RESOURCE_EXHAUSTED.withDescription("this watch fell " + sentWhileNotReady
                    + " events behind because the client stopped reading; it was closed (watch again to follow from now)"));
            return;
        }
        try {
            out.onNext(event.setAtMillis(clock.millis()).build());
        } catch (RuntimeException e) {
            close();
        }
    }

    private void close() {
        closed = true;
        changes.close();
        if (tokenChecks != null) {
            tokenChecks.cancel(false);
        }
    }
}
