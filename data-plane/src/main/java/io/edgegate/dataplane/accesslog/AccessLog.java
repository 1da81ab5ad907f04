package io.edgegate.dataplane.accesslog;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log. Each event loop formats its lines itself, while the request's data is still in
 * its cache, into a chunk of its own, and hands the chunk to a writer thread when it is full or a
 * few milliseconds after its first line: no lock, atomic or queue operation per line, and the
 * writer writes all the chunks it finds with one system call. The queue of chunks is bounded in
 * lines; when it is full (the disk is slow, full or blocked) new lines are dropped and counted,
 * and requests keep their pace.
 * Successful requests may be sampled; errors (status 400 and above) are always kept.
 *
 * <p>Lines of one event loop stay in order; lines of two loops interleave by chunk, as the
 * per-worker buffers of NGINX's {@code access_log ... buffer=} do.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    /**
     * The longest a line waits on its event loop before it is handed to the writer. Under load a
     * loop fills a chunk in a few milliseconds and hands it over full; this bounds a trickle, and
     * at a trickle a loop that sleeps in epoll is not woken more often than this for the log.
     */
    private static final long FLUSH_MILLIS = 20;
    /**
     * While chunks come, the writer looks for more this often and writes all it finds with one
     * system call; after a second of empty looks it sleeps until woken. Each look is a timed wait
     * and a wake-up, which on a virtual machine's cores cost tens of microseconds: at 5 ms they
     * were ~0.9 % of a loaded node's CPU.
     */
    private static final long BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int POLLS_BEFORE_IDLE = 50;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** What the writer takes for one write at most. */
    private static final int BATCH_BYTES = 1024 * 1024;
    /** Emptied chunks kept for reuse rather than allocated anew: what one look of the writer finds under load. */
    private static final int SPARE_CHUNKS = 32;

    private final boolean enabled;
    private final String node;
    private final AccessLogFormat format;
    private final AccessLogOutput output;
    private final int capacity;
    private final double sample;
    private final FastThreadLocal<LoopBatch> batches = new FastThreadLocal<>();
    /** Every loop's batch, for close to hand over what is left. */
    private final Set<LoopBatch> allBatches = ConcurrentHashMap.newKeySet();
    private final Queue<LineChunk> chunks = new ConcurrentLinkedQueue<>();
    /** Last in, first out: the chunk written out most recently is the likeliest to be still in a cache. */
    private final Deque<LineChunk> spare = new ConcurrentLinkedDeque<>();
    /** Lines in chunks handed to the writer and not written yet: the bound on the queue. */
    private final AtomicInteger queuedLines = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    /** Set while the writer sleeps after a quiet spell; the one caller that clears it wakes the writer. */
    private final AtomicBoolean idle = new AtomicBoolean();
    /** The chunks of the write in progress. Writer thread only. */
    private final List<LineChunk> batch = new ArrayList<>();
    /** A failed write was reported (once: the dropped-line counter tells the rest). Writer thread only. */
    private boolean warnedWriteFailure;
    /** No new lines are admitted. */
    private volatile boolean closed;
    /** Every line is handed over: the writer writes what is queued and stops. */
    private volatile boolean finishing;

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

    /**
     * @param capacity lines queued for the writer at most (a whole chunk is taken when none is queued)
     * @param sample the share of successful requests logged (1: all); errors are always logged
     */
    public static AccessLog start(String node, AccessLogFormat format, AccessLogOutput output, int capacity, double sample) {
        AccessLog accessLog = new AccessLog(true, node, format, output, capacity, sample);
        accessLog.writer.start();
        return accessLog;
    }

    /** Whether lines are written at all: a request's fields are worth keeping for its line only then. */
    public boolean enabled() {
        return enabled;
    }

    /** Whether lines show the request's Referer (records may leave it empty otherwise). */
    public boolean logsReferer() {
        return enabled && format.logsReferer();
    }

    /** Whether a request of this status is logged: on and sampled in. Asked before the record is made. */
    public boolean admit(int status) {
        if (!enabled || closed) {
            return false;
        }
        return status >= 400 || sample >= 1 || ThreadLocalRandom.current().nextDouble() < sample;
    }

    /**
     * Logs a request answered on {@code loop}, from that loop: formatted now into the loop's chunk.
     * Never blocks. Called from any other thread, it is handed over at once.
     */
    public void log(AccessRecord record, EventExecutor loop) {
        if (!loop.inEventLoop()) {
            log(record);
            return;
        }
        LoopBatch batch = batches.get();
        if (batch == null || batch.loop != loop) {
            batch = new LoopBatch(loop, format.formatter(node));
            batches.set(batch);
            allBatches.add(batch);
        }
        LineBuffer line = batch.line;
        if (!formatted(batch.formatter, line, record)) {
            return;
        }
        LineChunk chunk = batch.chunk;
        if (chunk != null && !chunk.fits(line.length())) {
            if (!handOver(chunk, false)) {
                // The writer is behind: this line goes, the full chunk waits for room.
                dropped.increment();
                return;
            }
            chunk = batch.chunk = null;
        }
        if (chunk == null) {
            chunk = batch.chunk = newChunk(line.length());
            scheduleFlush(batch);
        }
        chunk.add(line.bytes(), line.length());
    }

    /** Logs a request from a thread that is no event loop: its line is handed to the writer at once. */
    public void log(AccessRecord record) {
        LineBuffer line = new LineBuffer(512);
        if (formatted(format.formatter(node), line, record)) {
            LineChunk chunk = new LineChunk(line.length());
            chunk.add(line.bytes(), line.length());
            if (!handOver(chunk, false)) {
                dropped.increment();
            }
        }
    }

    public long written() {
        return written.get();
    }

    public long dropped() {
        return dropped.sum();
    }

    private boolean formatted(LineFormatter formatter, LineBuffer line, AccessRecord record) {
        try {
            line.reset();
            formatter.append(line, record);
            line.put('\n');
            return true;
        } catch (RuntimeException e) {
            dropped.increment();
            log.warn("cannot format an access-log line: {}", e.toString());
            return false;
        }
    }

    private LineChunk newChunk(int lineLength) {
        if (lineLength > LineChunk.SIZE) {
            return new LineChunk(lineLength);
        }
        LineChunk reused = spare.poll();
        return reused != null ? reused : new LineChunk(LineChunk.SIZE);
    }

    private void scheduleFlush(LoopBatch batch) {
        if (batch.flushScheduled) {
            return;
        }
        batch.flushScheduled = true;
        try {
            batch.loop.schedule(() -> flushBatch(batch), FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down: close hands its lines over.
            batch.flushScheduled = false;
        }
    }

    /** On the batch's loop: hands its part-filled chunk over, or tries again shortly when the queue is full. */
    private void flushBatch(LoopBatch batch) {
        batch.flushScheduled = false;
        LineChunk chunk = batch.chunk;
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        if (handOver(chunk, closed)) {
            batch.chunk = null;
        } else {
            scheduleFlush(batch);
        }
    }

    /** Queues {@code chunk} for the writer unless that would pass the capacity (a chunk always fits an empty queue). */
    private boolean handOver(LineChunk chunk, boolean evenWhenFull) {
        int lines = chunk.lines();
        int before = queuedLines.getAndAdd(lines);
        if (!evenWhenFull && before > 0 && before + lines > capacity) {
            queuedLines.addAndGet(-lines);
            return false;
        }
        chunks.add(chunk);
        // Only a writer asleep after a quiet second is woken, by the one caller that finds it so.
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    /**
     * The writer's loop. Its work is in methods of their own: a loop that parks between chunks
     * runs too few iterations for the JIT to compile it in place, and would stay interpreted.
     */
    private void drain() {
        int emptyPolls = 0;
        while (true) {
            LineChunk chunk = chunks.poll();
            if (chunk != null) {
                emptyPolls = 0;
                write(chunk);
                continue;
            }
            if (finishing && chunks.isEmpty()) {
                break;
            }
            emptyPolls = awaitChunks(emptyPolls);
        }
        flushOutput();
        output.close();
    }

    /** Writes {@code first} and the chunks queued behind it, up to a batch, and flushes them as one write. */
    private void write(LineChunk first) {
        int lines = 0;
        try {
            long bytes = 0;
            LineChunk chunk = first;
            do {
                batch.add(chunk);
                lines += chunk.lines();
                bytes += chunk.length();
                output.write(chunk.bytes(), chunk.length());
            } while (bytes < BATCH_BYTES && (chunk = chunks.poll()) != null);
            output.flush();
            written.addAndGet(lines);
        } catch (IOException | RuntimeException e) {
            // Lines of a batch whose write failed are not known to be in the file: all are counted as dropped.
            dropped.add(lines);
            if (!warnedWriteFailure) {
                log.warn("cannot write the access log ({}); lines are dropped and counted until it works again", e.toString());
                warnedWriteFailure = true;
            }
        }
        queuedLines.addAndGet(-lines);
        for (LineChunk done : batch) {
            if (done.reusable() && spare.size() < SPARE_CHUNKS) {
                done.clear();
                spare.push(done);
            }
        }
        batch.clear();
    }

    /** Waits a little for chunks after {@code emptyPolls} empty looks; gives the new count. */
    private int awaitChunks(int emptyPolls) {
        if (emptyPolls + 1 < POLLS_BEFORE_IDLE) {
            // Lines flow: look again shortly rather than have an event loop wake us (a syscall and a context
            // switch on a loop) for every chunk.
            LockSupport.parkNanos(BUSY_POLL_NANOS);
            return emptyPolls + 1;
        }
        idle.set(true);
        if (chunks.isEmpty() && !finishing) {
            LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
        idle.set(false);
        return emptyPolls + 1;
    }

    private void flushOutput() {
        try {
            output.flush();
        } catch (IOException e) {
            log.debug("flushing the access log: {}", e.toString());
        }
    }

    /** Hands over every loop's pending lines (after the loops have stopped, or on them), writes them and stops the writer. */
    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        closed = true;
        for (LoopBatch batch : allBatches) {
            handOverAtClose(batch);
        }
        finishing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handOverAtClose(LoopBatch batch) {
        EventExecutor loop = batch.loop;
        try {
            if (loop.inEventLoop() || loop.awaitTermination(0, TimeUnit.MILLISECONDS)) {
                flushBatch(batch);
            } else if (!loop.isShuttingDown()) {
                loop.submit(() -> flushBatch(batch)).await(1, TimeUnit.SECONDS);
            } else if (loop.awaitTermination(1, TimeUnit.SECONDS)) {
                flushBatch(batch);
            }
        } catch (RejectedExecutionException e) {
            // It began shutting down meanwhile: once it has stopped its batch is ours.
            try {
                if (loop.awaitTermination(1, TimeUnit.SECONDS)) {
                    flushBatch(batch);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
