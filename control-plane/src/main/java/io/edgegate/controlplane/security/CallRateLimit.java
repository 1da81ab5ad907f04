package io.edgegate.controlplane.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Calls per second per token (a token bucket holding two seconds' worth), so one runaway script
 * cannot take the control plane from everyone else.
 */
final class CallRateLimit {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    CallRateLimit(double perSecond, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = perSecond * 2;
        this.nanoTime = nanoTime;
    }

    double perSecond() {
        return perSecond;
    }

    boolean tryAcquire(String caller) {
        return buckets.computeIfAbsent(caller, name -> new Bucket(burst, nanoTime.getAsLong())).take();
    }

    private final class Bucket {

        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastNanos = nowNanos;
        }

        synchronized boolean take() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
            lastNanos = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
