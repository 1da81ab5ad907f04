package io.edgegate.dataplane.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.resilience.Circuit.State;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerPolicySpec.WindowType;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The circuit's state machine and windows on a clock the test moves. */
class CircuitTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(1_000_000 * MS);

    private Circuit circuit(WindowType type, int windowSize, int minimumCalls, Duration maxHalfOpen) {
        return new Circuit(new CircuitBreakerPolicySpec("p", type, 50, 100, Duration.ofSeconds(1), windowSize, 2, minimumCalls,
                maxHalfOpen, Duration.ofSeconds(5), false, Set.of()), now::get);
    }

    private void call(Circuit circuit, boolean failure) {
        long permit = circuit.tryAcquire();
        assertThat(permit).isNotEqualTo(Circuit.REFUSED);
        circuit.record(permit, failure, 10 * MS);
    }

    @Test
    void opensOnceTheMinimumOfCallsShowsTheFailureRate() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 10, 4, Duration.ZERO);
        call(circuit, true);
        call(circuit, true);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.CLOSED); // 3 calls: below the minimum
        call(circuit, false);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // 3 of 4 failed
        assertThat(circuit.tryAcquire()).isEqualTo(Circuit.REFUSED);
        assertThat(circuit.snapshot().shortCircuited()).isEqualTo(1);
    }

    @Test
    void aCountWindowForgetsCallsBeyondItsSize() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 4, 4, Duration.ZERO);
        for (int i = 0; i < 20; i++) {
            call(circuit, i % 4 == 3); // 1 in 4 fails: 25%
        }
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // the last 4: 2 failures
    }

    @Test
    void aTimeWindowForgetsSecondsThatPassed() {
        Circuit circuit = circuit(WindowType.TIME_BASED, 2, 4, Duration.ZERO);
        call(circuit, true);
        call(circuit, true);
        call(circuit, true);
        now.addAndGet(3000 * MS);
        call(circuit, true);
        call(circuit, false);
        call(circuit, false);
        assertThat(circuit.state()).isEqualTo(State.CLOSED); // the old failures left the window
        call(circuit, false);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.CLOSED); // 2 of 5: 40%
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // 3 of 6: 50%
    }

    @Test
    void halfOpenTrialsCloseOrReopenTheCircuit() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 4, 2, Duration.ZERO);
        call(circuit, true);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        now.addAndGet(4999 * MS);
        assertThat(circuit.tryAcquire()).isEqualTo(Circuit.REFUSED);
        now.addAndGet(MS);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);
        long last = circuit.tryAcquire(); // the second and last trial
        assertThat(last).isNotEqualTo(Circuit.REFUSED);
        assertThat(circuit.tryAcquire()).isEqualTo(Circuit.REFUSED);
        circuit.record(last, false, MS);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // 1 of 2 trials failed: 50%

        now.addAndGet(5000 * MS);
        call(circuit, false);
        call(circuit, false);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.CLOSED); // a fresh window: 1 call is below the minimum
    }

    @Test
    void slowCallsOpenTheCircuitToo() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 4, 2, Duration.ZERO);
        circuit.record(circuit.tryAcquire(), false, 1500 * MS);
        circuit.record(circuit.tryAcquire(), false, 1000 * MS);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // 100% of calls slower than 1s
    }

    @Test
    void anAbandonedTrialGivesItsPermitBackAndAStuckHalfOpenReopens() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 2, 2, Duration.ofSeconds(2));
        call(circuit, true);
        call(circuit, true);
        now.addAndGet(5000 * MS);
        long abandoned = circuit.tryAcquire();
        assertThat(abandoned).isNotEqualTo(Circuit.REFUSED);
        assertThat(circuit.tryAcquire()).isNotEqualTo(Circuit.REFUSED);
        circuit.release(abandoned);
        assertThat(circuit.tryAcquire()).isNotEqualTo(Circuit.REFUSED);
        now.addAndGet(2001 * MS);
        assertThat(circuit.tryAcquire()).isEqualTo(Circuit.REFUSED);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
    }

    /** As Easegress: a half-open circuit past its longest wait reopens only once every trial permit was handed out. */
    @Test
    void aSlowHalfOpenStateStillLetsItsTrialsThrough() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 2, 2, Duration.ofSeconds(2));
        call(circuit, true);
        call(circuit, true);
        now.addAndGet(5000 * MS);
        call(circuit, false);
        now.addAndGet(3000 * MS); // past the longest wait, with one trial permit left
        call(circuit, false);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
    }

    /**
     * As Easegress: the trials decide once as many as the smaller of minimumNumberOfCalls and the permitted trials
     * have ended, and a call let through before the circuit opened does not count among them.
     */
    @Test
    void trialsDecideAtTheSmallerMinimumAndACallFromAnEarlierStateDoesNotCount() {
        Circuit circuit = new Circuit(new CircuitBreakerPolicySpec("p", WindowType.COUNT_BASED, 50, 100, Duration.ofSeconds(1), 4, 10,
                2, Duration.ZERO, Duration.ofSeconds(5), false, Set.of()), now::get);
        long beforeOpening = circuit.tryAcquire();
        call(circuit, true);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        now.addAndGet(5000 * MS);
        long trial = circuit.tryAcquire();
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);

        circuit.record(beforeOpening, true, 10 * MS); // a slow call of the closed state, ending now
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);
        circuit.record(trial, false, 10 * MS);
        call(circuit, false);
        assertThat(circuit.state()).as("2 good trials of the 10 permitted: minimumNumberOfCalls is 2").isEqualTo(State.CLOSED);
    }
}
