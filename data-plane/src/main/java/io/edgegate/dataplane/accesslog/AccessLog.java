package io.edgegate.dataplane.accesslog;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: event loops hand records to a bounded, lock-free queue and never wait; a
 * writer thread of its own formats and writes them. When the queue is full (the disk is slow,
 * full or blocked) the record is dropped and counted, and requests keep their pace. Successful
 * requests may be sampled; errors (status 400 and above) are always kept.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    /** While lines come, the writer polls the queue this often; after this many empty polls it sleeps until woken. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int POLLS_BEFORE_SLEEP = 200;

    private final boolean enabled;
    private final String node;
    private final AccessLogFormat format;
    private final AccessLogOutput output;
    private final int capacity;
    private final double sample;
    private final Queue<AccessRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    /** Set while the writer waits for work; the one caller that clears it wakes the writer. */
    private final AtomicBoolean idle = new AtomicBoolean();
    private volatile boolean closed;

    private AccessLog(boolean enabled, String node, AccessLogFormat format, AccessLogOutput output, int capacity, double sample) {
        this.enabled = enabled;
        this.node = node;
        this.format = format;
        this.output = output;
        this.capacity = capacity;
        this.sample = sample;
        this.writer = new Thread(this::drain, "access-log");
        this.writer.setDaemon(true);
    }

    /** No access log. */
    public static AccessLog off() {
        return new AccessLog(false, "", AccessLogFormat.JSON, null, 0, 0);
    }

    /** @param sample the share of successful requests logged (1: all); errors are always logged */
    public static AccessLog start(String node, AccessLogFormat format, AccessLogOutput output, int capacity, double sample) {
        AccessLog accessLog = new AccessLog(true, node, format, output, capacity, sample);
        accessLog.writer.start();
        return accessLog;
    }

    /**
     * Whether a request of this status is logged: on, sampled in and room in the queue (the place is
     * then taken). Asked before the record is made, so a sampled-out or dropped request costs nothing.
     */
    public boolean admit(int status) {
        if (!enabled || closed) {
            return false;
        }
        if (status < 400 && sample < 1 && ThreadLocalRandom.current().nextDouble() >= sample) {
            return false;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Called on an event loop after {@link #admit} said yes: never blocks. */
    public void log(AccessRecord record) {
        queue.add(record);
        // Only the caller that finds the writer idle wakes it: one unpark, not one per request.
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        boolean warned = false;
        int emptyPolls = 0;
        // One buffer for every line: formatting allocates nothing it keeps.
        LineBuffer line = new LineBuffer(1024);
        while (!closed || !queue.isEmpty()) {
            AccessRecord record = queue.poll();
            if (record == null) {
                flush();
                if (++emptyPolls < POLLS_BEFORE_SLEEP) {
                    // Traffic flows: look again in a millisecond rather than have an event loop wake us per line.
                    LockSupport.parkNanos(POLL_NANOS);
                    continue;
                }
                idle.set(true);
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                }
                idle.set(false);
                continue;
            }
            emptyPolls = 0;
            queued.decrementAndGet();
            try {
                line.reset();
                format.append(line, node, record);
                line.put('\n');
                output.writeLine(line.bytes(), line.length());
                written.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                dropped.incrementAndGet();
                if (!warned) {
                    log.warn("cannot write the access log ({}); lines are dropped and counted until it works again", e.toString());
                    warned = true;
                }
            }
        }
        flush();
        output.close();
    }

    private void flush() {
        try {
            output.flush();
        } catch (IOException e) {
            log.debug("flushing the access log: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
