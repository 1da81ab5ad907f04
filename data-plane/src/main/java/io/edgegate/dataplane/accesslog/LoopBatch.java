package io.edgegate.dataplane.accesslog;

import io.netty.util.concurrent.EventExecutor;

/**
 * The access-log lines one event loop formatted and has not handed to the writer yet. Only that
 * loop touches it (the log's close takes it over once the loop has terminated), so appending a
 * line takes no lock and no atomic operation.
 */
final class LoopBatch {

    final EventExecutor loop;
    /** Formats this loop's lines, keeping what they share. */
    final LineFormatter formatter;
    /** The line being formatted, reused from line to line. */
    final LineBuffer line = new LineBuffer(1024);
    /** Lines waiting for the writer; null until the next line comes. */
    LineChunk chunk;
    /** A hand-over of a part-filled chunk is scheduled on the loop (lines never wait longer than that). */
    boolean flushScheduled;

    LoopBatch(EventExecutor loop, LineFormatter formatter) {
        this.loop = loop;
        this.formatter = formatter;
    }
}
