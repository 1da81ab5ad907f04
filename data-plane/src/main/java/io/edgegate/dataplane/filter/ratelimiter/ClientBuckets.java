package io.edgegate.dataplane.filter.ratelimiter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgegate.spec.filter.ratelimiter.RateLimitPolicySpec;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One permit bucket per client under a policy, for at most {@code maxClients} clients. A
 * bucket untouched for a period plus the wait is full again, so forgetting it then loses
 * nothing; beyond that the size bound evicts the clients seen least first.
 */
final class ClientBuckets {

    private final Cache<String, PermitBucket> buckets;
    private final RateLimitPolicySpec policy;
    private final LongSupplier nanoTime;

    ClientBuckets(RateLimitPolicySpec policy, int maxClients, LongSupplier nanoTime) {
        this.policy = policy;
        this.nanoTime = nanoTime;
        Duration idle = policy.limitRefreshPeriod().plus(policy.timeoutDuration()).plusMillis(1);
        // Maintenance on the calling thread: no pool thread, and eviction keeps pace with inserts.
        this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(idle).executor(Runnable::run).build();
    }

    PermitBucket bucketFor(String client) {
        return buckets.get(client, k -> new PermitBucket(policy, nanoTime));
    }

    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
