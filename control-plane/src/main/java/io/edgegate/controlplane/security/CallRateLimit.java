package io.edgegate.controlplane.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Events per second per key (a token bucket holding two seconds' worth): calls per token, so one
 * runaway script cannot take the control plane from everyone else, and failed authentications
 * per client address, so guessing cannot turn into a flood of etcd reads.
 */
final class CallRateLimit {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private static final int MAX_KEYS = 10_000;

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
        return bucket(caller).take();
    }

    /** Whether {@code key} has used up its allowance (without using any). */
    boolean exhausted(String key) {
        Bucket bucket = buckets.get(key);
        return bucket != null && bucket.empty();
    }

    private Bucket bucket(String key) {
        if (buckets.size() > MAX_KEYS) {
            // Many keys at once (an address scan): forgetting them all is cheaper than tracking each.
            buckets.clear();
        }
        return buckets.computeIfAbsent(key, name -> new Bucket(burst, nanoTime.getAsLong()));
    }

    private final class Bucket {

        private double tokens;
        private long lastNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.lastNanos = nowNanos;
        }

        synchronized boolean take() {
            refill();
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean empty() {
            refill();
            return tokens < 1;
        }

        private void refill() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
            lastNanos = now;
        }
    }
}
