package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.controlplane.config.ConfigCache;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;

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
    static final long PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    static final int HARD_LIMIT = 20_000;

    private final ServerCallStreamObserver<ClusterEvent> out;
    private final ClusterChanges changes;
    private final Clock clock;
    private volatile boolean closed;
    private int sentWhileNotReady;
    private long notReadySinceNanos;

    ClusterWatch(ServerCallStreamObserver<ClusterEvent> out, ClusterView view, ConfigCache cache, Clock clock) {
        this.out = out;
        this.changes = new ClusterChanges(view, cache, this::send);
        this.clock = clock;
    }

    void start() {
        out.setOnCancelHandler(this::close);
        out.setOnReadyHandler(this::caughtUp);
        changes.start();
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
            close();
            try {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription("this watch fell " + sentWhileNotReady
                        + " events behind because the client stopped reading; it was closed (watch again to follow from now)")
                        .asRuntimeException());
            } catch (RuntimeException e) {
                // The call ended meanwhile.
            }
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
    }
}
