package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.CompletableFuture;

/**
 * Moves a body from a {@link BodyStream} into a {@link BodyTarget}, one chunk at a time:
 * the next chunk is pulled only while the target can take more, so a slow receiver slows the
 * sender instead of filling memory. Runs on the target's event loop.
 */
public final class BodyPump implements BodyReceiver {

    private final BodyStream source;
    private final BodyTarget target;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private boolean cancelled;
    /** Body bytes handed to the target so far. */
    private long bytes;

    private BodyPump(BodyStream source, BodyTarget target) {
        this.source = source;
        this.target = target;
    }

    /** Completes when the last content (with any trailers) is written, or fails with the source's or the write's error. */
    public static BodyPump start(BodyStream source, Channel target) {
        return start(source, BodyTarget.of(target));
    }

    /** As {@link #start(BodyStream, Channel)}, into any target. */
    public static BodyPump start(BodyStream source, BodyTarget target) {
        BodyPump pump = new BodyPump(source, target);
        pump.next();
        return pump;
    }

    public CompletableFuture<Void> done() {
        return done;
    }

    /** Body bytes handed to the target so far (all of them once {@link #done()} completes normally). */
    public long bytes() {
        return bytes;
    }

    /** Stops pulling; the source is discarded. */
    public void cancel() {
        if (!done.isDone()) {
            cancelled = true;
            source.discard();
            done.completeExceptionally(new java.util.concurrent.CancellationException("body pump cancelled"));
        }
    }

    private void next() {
        if (!cancelled) {
            source.pull(this);
        }
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        if (cancelled || !target.isActive()) {
            chunk.release();
            fail(new java.nio.channels.ClosedChannelException());
            return;
        }
        bytes += chunk.readableBytes();
        if (source.isReadyNow() && target.isWritable()) {
            // More is already here: gather it into the same flush.
            target.writeChunk(chunk, false).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(f.cause());
                }
            });
            next();
            return;
        }
        ChannelFuture written = target.writeChunk(chunk, true);
        if (target.isWritable()) {
            written.addListener(f -> {
                if (!f.isSuccess()) {
                    fail(f.cause());
                }
            });
            next();
        } else {
            // The target's buffer is full: wait until this write went out before reading more.
            written.addListener(f -> {
                if (f.isSuccess()) {
                    next();
                } else {
                    fail(f.cause());
                }
            });
        }
    }

    @Override
    public void onEnd(HttpHeaders trailers) {
        if (cancelled) {
            return;
        }
        target.writeEnd(trailers).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                fail(f.cause());
            }
        });
    }

    @Override
    public void onError(Throwable cause) {
        fail(cause);
    }

    private void fail(Throwable cause) {
        if (!done.isDone()) {
            cancelled = true;
            // Completed first: discarding a body someone waits on answers that waiter, and the real cause must win.
            done.completeExceptionally(cause);
            source.discard();
        }
    }
}
