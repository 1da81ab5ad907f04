package io.edgegate.dataplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PerThreadCountsTest {

    @Test
    void countsOfEveryThreadAddUpWhetherItHasASlotOrShares() throws InterruptedException {
        // Two slots for six threads: four of them share the locked row.
        ThreadSlots slots = new ThreadSlots(2);
        PerThreadCounts counts = new PerThreadCounts(slots, 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        // Netty's threads (FastThreadLocalThread, as event loops are) and plain ones.
        DefaultThreadFactory netty = new DefaultThreadFactory("counts");
        for (int t = 0; t < 6; t++) {
            Runnable work = () -> {
                awaitQuietly(start);
                for (int i = 0; i < 100_000; i++) {
                    counts.add(0, 1, 1, 3);
                    counts.add(0, 1);
                    counts.add(0, -1);
                }
            };
            threads.add(t % 2 == 0 ? netty.newThread(work) : new Thread(work));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        // The threads have ended: their counts stay.
        assertThat(counts.sum(0)).isEqualTo(600_000);
        assertThat(counts.sum(1)).isEqualTo(1_800_000);
    }

    @Test
    void aThreadsOwnCountMayGoBelowZeroWhileTheSumIsRight() throws InterruptedException {
        ThreadSlots slots = new ThreadSlots(4);
        PerThreadCounts active = new PerThreadCounts(slots, 1);
        // Opened on one thread, closed on another, as a connection's counts may be.
        Thread opener = new Thread(() -> active.add(0, 5));
        opener.start();
        opener.join();
        Thread closer = new Thread(() -> active.add(0, -3));
        closer.start();
        closer.join();
        assertThat(active.sum(0)).isEqualTo(2);
    }

    @Test
    void metersOutsideANodeShareOneLockedRow() throws InterruptedException {
        PerThreadCounts counts = new PerThreadCounts(ThreadSlots.NONE, 1);
        Thread other = new Thread(() -> counts.add(0, 7));
        other.start();
        other.join();
        counts.add(0, 1);
        assertThat(counts.sum(0)).isEqualTo(8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
