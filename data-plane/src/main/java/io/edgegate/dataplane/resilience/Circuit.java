package io.edgegate.dataplane.resilience;

import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec.WindowType;
import java.util.function.LongSupplier;

/**
 * One circuit: CLOSED lets calls through and watches their failure and slow-call rates; past a
 * threshold it OPENs and refuses calls for {@code waitDurationInOpenState}; then HALF_OPEN lets
 * a few trial calls through, whose rates decide between CLOSED and OPEN again. Calls from all
 * event loops meet here, so the short critical sections are synchronized.
 */
public final class Circuit {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final CircuitBreakerPolicySpec policy;
    private final LongSupplier nanoTime;
    private final OutcomeWindow window;
    private final int minimumCalls;
    private State state = State.CLOSED;
    private long changedAt;
    private int trialPermits;
    private int trialCalls;
    private int trialFailures;
    private int trialSlow;
    private long shortCircuited;

    public Circuit(CircuitBreakerPolicySpec policy, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        boolean countBased = policy.slidingWindowType() == WindowType.COUNT_BASED;
        this.window = countBased ? OutcomeWindow.countBased(policy.slidingWindowSize())
                : OutcomeWindow.timeBased(policy.slidingWindowSize());
        // A count window never holds more calls than its size.
        this.minimumCalls = countBased ? Math.min(policy.minimumNumberOfCalls(), policy.slidingWindowSize())
                : policy.minimumNumberOfCalls();
        this.changedAt = nanoTime.getAsLong();
    }

    /** Whether a call may go ahead now; a refused call is counted as short-circuited. */
    public synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        if (state == State.OPEN && now - changedAt >= policy.waitDurationInOpenState().toNanos()) {
            halfOpen(now);
        }
        if (state == State.HALF_OPEN && !policy.maxWaitDurationInHalfOpenState().isZero()
                && now - changedAt >= policy.maxWaitDurationInHalfOpenState().toNanos()) {
            open(now);
        }
        boolean allowed = switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> trialPermits > 0 && trialPermits-- > 0;
        };
        if (!allowed) {
            shortCircuited++;
        }
        return allowed;
    }

    /** The outcome of a call {@link #tryAcquire} let through, {@code elapsedNanos} after it started. */
    public synchronized void record(boolean failure, long elapsedNanos) {
        long now = nanoTime.getAsLong();
        boolean slowCall = elapsedNanos >= policy.slowCallDurationThreshold().toNanos();
        switch (state) {
            case CLOSED -> {
                window.record(now, failure, slowCall);
                int calls = window.calls(now);
                if (calls >= minimumCalls && exceeds(calls, window.failures, window.slow)) {
                    open(now);
                }
            }
            case HALF_OPEN -> {
                trialCalls++;
                trialFailures += failure ? 1 : 0;
                trialSlow += slowCall ? 1 : 0;
                if (trialCalls >= policy.permittedNumberOfCallsInHalfOpenState()) {
                    if (exceeds(trialCalls, trialFailures, trialSlow)) {
                        open(now);
                    } else {
                        close(now);
                    }
                }
            }
            case OPEN -> {
                // A call that started before the circuit opened: it has nothing more to say.
            }
        }
    }

    /** A call let through ended without an outcome (the client went away): its trial permit returns. */
    public synchronized void release() {
        if (state == State.HALF_OPEN) {
            trialPermits++;
        }
    }

    private boolean exceeds(int calls, int failures, int slow) {
        return failures * 100L >= (long) policy.failureRateThreshold() * calls
                || slow * 100L >= (long) policy.slowCallRateThreshold() * calls;
    }

    private void open(long now) {
        state = State.OPEN;
        changedAt = now;
    }

    private void halfOpen(long now) {
        state = State.HALF_OPEN;
        changedAt = now;
        trialPermits = policy.permittedNumberOfCallsInHalfOpenState();
        trialCalls = 0;
        trialFailures = 0;
        trialSlow = 0;
    }

    private void close(long now) {
        state = State.CLOSED;
        changedAt = now;
        window.reset();
    }

    public synchronized State state() {
        return state;
    }

    /** State, failure rate in percent over the window (-1 below the minimum of calls), calls in it, and calls refused so far. */
    public synchronized Snapshot snapshot() {
        int calls = window.calls(nanoTime.getAsLong());
        int rate = calls == 0 || calls < minimumCalls ? -1 : (int) (window.failures * 100L / calls);
        return new Snapshot(state, rate, calls, shortCircuited);
    }

    public record Snapshot(State state, int failureRatePercent, int calls, long shortCircuited) {
    }
}
