package io.edgegate.controlplane.security;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of refused calls and streams, for the log today and metrics later. */
public final class SecurityCounters {

    private final AtomicLong unauthenticated = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong refusedNodes = new AtomicLong();

    void unauthenticated() {
        unauthenticated.incrementAndGet();
    }

    void denied() {
        denied.incrementAndGet();
    }

    void rateLimited() {
        rateLimited.incrementAndGet();
    }

    public void refusedNode() {
        refusedNodes.incrementAndGet();
    }

    public long unauthenticatedCalls() {
        return unauthenticated.get();
    }

    public long deniedCalls() {
        return denied.get();
    }

    public long rateLimitedCalls() {
        return rateLimited.get();
    }

    public long refusedNodeStreams() {
        return refusedNodes.get();
    }
}
