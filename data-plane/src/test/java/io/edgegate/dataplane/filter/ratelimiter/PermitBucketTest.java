package io.edgegate.dataplane.filter.ratelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.filter.ratelimiter.RateLimitPolicySpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The permit arithmetic on a clock the test moves. */
class PermitBucketTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private PermitBucket bucket(int limit, Duration period, Duration timeout) {
        return new PermitBucket(new RateLimitPolicySpec("p", timeout, period, limit), now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void admitsTheLimitPerPeriodAndRefusesTheRest() {
        PermitBucket bucket = bucket(10, Duration.ofSeconds(1), Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
        advance(Duration.ofMillis(400));
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
        assertThat(bucket.nanosUntilFree()).isEqualTo(Duration.ofMillis(600).toNanos());
        advance(Duration.ofMillis(600));
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
    }

    @Test
    void unusedPeriodsDoNotAccumulateBeyondOnePeriodsLimit() {
        PermitBucket bucket = bucket(3, Duration.ofMillis(100), Duration.ZERO);
        advance(Duration.ofSeconds(10));
        int admitted = 0;
        while (bucket.reserve() == 0) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void aTimeoutShorterThanThePeriodReservesNothingAsEasegressCounts() {
        // The repository's example (10 per 1s, timeout 100ms): the 11th request at 950 ms is refused, not kept 50 ms.
        PermitBucket bucket = bucket(10, Duration.ofSeconds(1), Duration.ofMillis(100));
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        advance(Duration.ofMillis(950));
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
        advance(Duration.ofMillis(50));
        assertThat(bucket.reserve()).isZero();
    }

    @Test
    void aRequestReservesAPermitOfACycleTheTimeoutReaches() {
        // Easegress: limit × (⌊timeout/period⌋ + 1) permits from the start of a cycle, the later ones waited for.
        PermitBucket bucket = bucket(2, Duration.ofSeconds(1), Duration.ofMillis(1500));
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
        advance(Duration.ofMillis(950));
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
        advance(Duration.ofMillis(50));
        // The next cycle's two permits are the ones reserved; the two after it may be.
        assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(bucket.reserve()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(bucket.reserve()).isEqualTo(PermitBucket.REFUSED);
    }

    @Test
    void concurrentTakersGetExactlyTheLimit() throws Exception {
        PermitBucket bucket = bucket(1000, Duration.ofHours(1), Duration.ZERO);
        AtomicLong granted = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (bucket.reserve() == 0) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(granted.get()).isEqualTo(1000);
    }

    @Test
    void manyClientsStayWithinTheBound() {
        ClientBuckets clients = new ClientBuckets(new RateLimitPolicySpec("p", Duration.ZERO, Duration.ofHours(1), 5), 1000, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(clients.bucketFor("client-" + i).reserve()).isZero();
        }
        assertThat(clients.size()).isLessThanOrEqualTo(1000);
        PermitBucket noisy = clients.bucketFor("noisy");
        for (int i = 0; i < 5; i++) {
            assertThat(clients.bucketFor("noisy").reserve()).isZero();
        }
        assertThat(clients.bucketFor("noisy")).isSameAs(noisy);
        assertThat(clients.bucketFor("noisy").reserve()).isEqualTo(PermitBucket.REFUSED);
    }
}
