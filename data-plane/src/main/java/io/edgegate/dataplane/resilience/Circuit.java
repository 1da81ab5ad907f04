package io.edgegate.dataplane.resilience;

import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec.WindowType;
import java.util.function.LongSupplier;

/**
 * One circuit: CLOSED lets calls through and watches their failure and slow-call rates; past a
 * threshold it OPENs and refuses calls for {@code waitDurationInOpenState}; then HALF_OPEN lets
 * a few trial calls through, whose rates decide between CLOSED and OPEN again, as Easegress's
 * circuit breaker does: once as many trials as the smaller of {@code minimumNumberOfCalls} and
 * {@code permittedNumberOfCallsInHalfOpenState} have ended, and only the outcomes of calls let
 * through in the same state count (a call started before the circuit opened says nothing of the
 * trials). Calls from all event loops meet here, so the short critical sections are synchronized.
 */
public final class Circuit {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** What {@link #tryAcquire} answers for a call the circuit refuses. */
    public static final long REFUSED = -1;

    private final CircuitBreakerPolicySpec policy;
    private final LongSupplier nanoTime;
    private final OutcomeWindow window;
    private final int minimumCalls;
    private State state = State.CLOSED;
    /** Counts the state changes: a permit names the state it was given in. */
    private long generation;
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

    /**
     * A permit for a call to go ahead now, to be given back to {@link #record} or {@link #release}; or
     * {@link #REFUSED}, and the call is counted as short-circuited.
     */
    public synchronized long tryAcquire() {
        long now = nanoTime.getAsLong();
        if (state == State.OPEN && now - changedAt >= policy.waitDurationInOpenState().toNanos()) {
            halfOpen(now);
        }
        boolean allowed = switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialPermits > 0) {
                    trialPermits--;
                    yield true;
                }
                // As Easegress: only once every trial permit is out does a half-open state that lasted too long reopen.
                if (!policy.maxWaitDurationInHalfOpenState().isZero() && now - changedAt > policy.maxWaitDurationInHalfOpenState().toNanos()) {
                    open(now);
                }
                yield false;
            }
        };
        if (!allowed) {
            shortCircuited++;
            return REFUSED;
        }
        return generation;
    }

    /** The outcome of a call {@link #tryAcquire} let through with {@code permit}, {@code elapsedNanos} after it started. */
    public synchronized void record(long permit, boolean failure, long elapsedNanos) {
        if (permit != generation) {
            return; // let through in an earlier state: it says nothing of this one
        }
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
                if (trialCalls >= Math.min(policy.minimumNumberOfCalls(), policy.permittedNumberOfCallsInHalfOpenState())) {
                    if (exceeds(trialCalls, trialFailures, trialSlow)) {
                        open(now);
                    } else {
                        close(now);
                    }
                }
            }
            case OPEN -> {
                // Not reached: a permit of the open state's generation is never given.
            }
        }
    }

    /** A call let through with {@code permit} ended without an outcome (the client went away): its trial permit returns. */
    public synchronized void release(long permit) {
        if (permit == generation && state == State.HALF_OPEN) {
            trialPermits++;
        }
    }

    private boolean exceeds(int calls, int failures, int slow) {
        return failures * 100L >= (long) policy.failureRateThreshold() * calls
                || slow * 100L >= (long) policy.slowCallRateThreshold() * calls;
    }

    private void open(long now) {
        state = State.OPEN;
        generation++;
        changedAt = now;
    }

    private void halfOpen(long now) {
        state = State.HALF_OPEN;
        generation++;
        changedAt = now;
        trialPermits = policy.permittedNumberOfCallsInHalfOpenState();
        trialCalls = 0;
        trialFailures = 0;
        trialSlow = 0;
    }

    private void close(long now) {
        state = State.CLOSED;
        generation++;
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
