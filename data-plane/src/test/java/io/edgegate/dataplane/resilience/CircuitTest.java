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
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.record(failure, 10 * MS);
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
        assertThat(circuit.tryAcquire()).isFalse();
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
        assertThat(circuit.tryAcquire()).isFalse();
        now.addAndGet(MS);
        call(circuit, true);
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);
        assertThat(circuit.tryAcquire()).isTrue(); // the second and last trial
        assertThat(circuit.tryAcquire()).isFalse();
        circuit.record(false, MS);
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
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.record(false, 1500 * MS);
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.record(false, 1000 * MS);
        assertThat(circuit.state()).isEqualTo(State.OPEN); // 100% of calls slower than 1s
    }

    @Test
    void anAbandonedTrialGivesItsPermitBackAndAStuckHalfOpenReopens() {
        Circuit circuit = circuit(WindowType.COUNT_BASED, 2, 2, Duration.ofSeconds(2));
        call(circuit, true);
        call(circuit, true);
        now.addAndGet(5000 * MS);
        assertThat(circuit.tryAcquire()).isTrue();
        assertThat(circuit.tryAcquire()).isTrue();
        circuit.release();
        assertThat(circuit.tryAcquire()).isTrue();
        now.addAndGet(2000 * MS);
        assertThat(circuit.tryAcquire()).isFalse();
        assertThat(circuit.state()).isEqualTo(State.OPEN);
    }
}
