package io.edgegate.dataplane.filter.fileserver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap all FileServer filters of a node may keep files in, together: each filter's own
 * {@code bufferPoolSize} bounds its cache, and this bounds their sum (a quarter of the heap), so
 * many filters cannot fill the heap between them. A file that does not fit is served, not kept.
 */
final class FileCacheBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    FileCacheBudget(long limit) {
        this.limit = limit;
    }

    static FileCacheBudget quarterOfHeap() {
        return new FileCacheBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    /** Takes {@code bytes} of the budget if they fit. */
    boolean reserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
