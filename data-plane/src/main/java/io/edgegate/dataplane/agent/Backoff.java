package io.edgegate.dataplane.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter, so a fleet of nodes does not reconnect in lockstep. */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long currentMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.currentMillis = initialMillis;
    }

    /** The next delay: the current step ±25 %, then the step doubles up to the cap. */
    synchronized long nextDelayMillis() {
        long base = currentMillis;
        currentMillis = Math.min(currentMillis * 2, maxMillis);
        long jitter = base / 4;
        return base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
    }

    synchronized void reset() {
        currentMillis = initialMillis;
    }
}
