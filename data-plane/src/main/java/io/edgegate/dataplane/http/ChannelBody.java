package io.edgegate.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * A body that arrives on a channel whose auto-read is off: the channel is read ahead while
 * less than {@link #READ_AHEAD_BYTES} wait in the buffer, and otherwise only when the consumer
 * pulls, so the sender is held back by TCP (or HTTP/2 flow control) while the consumer is
 * busy. Reading ahead from within a read keeps the socket's read interest set, which spares
 * an epoll_ctl pair per chunk when the consumer keeps up. The channel's handler feeds it with {@link #offer}.
 * Used for request bodies from clients and response bodies from upstreams. On an HTTP/2 stream served
 * frame by frame, "reading" is giving the client back the window of what was delivered ({@link #readMore}).
 */
public class ChannelBody implements BodyStream {

    /** Null when a subclass reads otherwise ({@link #readMore}). */
    private final Channel channel;
    private final long contentLength;
    private final long maxBytes;
    /** How much may wait unconsumed before reading stops until the consumer pulls. */
    public static final int READ_AHEAD_BYTES = 64 * 1024;

    private final ArrayDeque<ByteBuf> buffered = new ArrayDeque<>(4);
    private long bufferedBytes;
    private BodyReceiver waiting;
    private HttpHeaders trailers;
    private Throwable failure;
    private long received;
    private boolean discarded;

    /**
     * @param maxBytes the most this body may carry, or -1 for no limit; more fails the body
     *                 with {@link BodyTooLargeException}
     */
    public ChannelBody(Channel channel, long contentLength, long maxBytes) {
        this.channel = channel;
        this.contentLength = contentLength;
        this.maxBytes = maxBytes;
    }

    /** For a body whose source is not a channel of its own (an HTTP/2 stream): the subclass says how to read more. */
    protected ChannelBody(long contentLength, long maxBytes) {
        this(null, contentLength, maxBytes);
    }

    /** Asks the source for more: the channel reads, or a stream gives the sender window for what was delivered. */
    protected void readMore() {
        channel.read();
    }

    /** Feeds content read from the channel. Called on the channel's event loop. */
    public void offer(HttpContent content) {
        ByteBuf chunk = content.content();
        if (content.decoderResult().isFailure() && failure == null && trailers == null) {
            // Broken framing (a bad chunk size or extension): what came before is not a whole body.
            content.release();
            fail(new MalformedBodyException(content.decoderResult().cause()));
            return;
        }
        if (discarded || failure != null) {
            content.release();
            if (content instanceof LastHttpContent) {
                trailers = EmptyHttpHeaders.INSTANCE;
                ended();
            } else if (discarded && failure == null) {
                readMore(); // drained to its end, so the connection can go on to the next request
            }
            return;
        }
        received += chunk.readableBytes();
        if (maxBytes >= 0 && received > maxBytes) {
            content.release();
            fail(new BodyTooLargeException(maxBytes));
            return;
        }
        if (chunk.isReadable()) {
            buffered.add(chunk);
            bufferedBytes += chunk.readableBytes();
        } else {
            chunk.release();
        }
        if (content instanceof LastHttpContent last) {
            trailers = last.trailingHeaders();
            ended();
        }
        deliver();
        if (!isComplete() && bufferedBytes < READ_AHEAD_BYTES) {
            readMore();
        }
    }

    /** Whether a pull would be answered at once (a buffered chunk, the end, or an error). */
    @Override
    public boolean isReadyNow() {
        return failure != null || !buffered.isEmpty() || trailers != null;
    }

    /** The channel closed or broke before the body ended. */
    public void fail(Throwable cause) {
        if (failure == null && trailers == null) {
            failure = cause;
            releaseBuffered();
            deliver();
            broke();
        }
    }

    /**
     * The connection (or stream) closed: a body that had not ended fails, and chunks that arrived but
     * were never read are released. The exception is made only for a body cut off: filling in its
     * stack trace for every closed HTTP/2 stream cost ~2 % of a node's CPU under h2load.
     */
    public void connectionClosed() {
        if (!isComplete()) {
            fail(new ClosedChannelException());
        }
        discard();
    }

    /** Whether the whole body has been received (or the stream failed), so the channel may move on. */
    public boolean isComplete() {
        return trailers != null || failure != null;
    }

    /** Whether the body ended in an error (too large, connection lost) rather than at its end. */
    public boolean failed() {
        return failure != null;
    }

    public boolean isDiscarded() {
        return discarded;
    }

    public long received() {
        return received;
    }

    /** Bytes that arrived and wait for the consumer. */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Whether a consumer is waiting for bytes that have not arrived yet. */
    public boolean isWaiting() {
        return waiting != null && !isComplete();
    }

    @Override
    public void pull(BodyReceiver receiver) {
        if (waiting != null) {
            throw new IllegalStateException("pull while a pull is pending");
        }
        if (discarded) {
            if (received == 0 && trailers != null) {
                receiver.onEnd(trailers); // an empty body lost nothing
            } else {
                // Its bytes are gone: an answer now, rather than a consumer left waiting for ever.
                receiver.onError(new IllegalStateException("the body was discarded before it was read"));
            }
            return;
        }
        waiting = receiver;
        deliver();
        // The consumer took a chunk: read ahead again while less than the read-ahead waits (an HTTP/2 stream gives
        // back the window of what it delivered), and always when it waits for bytes that have not come.
        if (!isComplete() && (waiting != null || bufferedBytes < READ_AHEAD_BYTES)) {
            readMore();
        } else if (isComplete()) {
            taken();
        }
    }

    /** The consumer took what was left of a body that has ended: nothing more to read, but a window may be owed for it. */
    protected void taken() {
    }

    @Override
    public void discard() {
        if (discarded) {
            return;
        }
        discarded = true;
        BodyReceiver abandoned = waiting;
        waiting = null;
        releaseBuffered();
        if (!isComplete()) {
            // Keep reading so the rest of the body is consumed and dropped.
            readMore();
            if (abandoned != null) {
                // Its one answer: a consumer left waiting (an upstream still sending a request the upstream has
                // answered) would never finish, and its connection would be neither pooled nor closed.
                abandoned.onError(new IllegalStateException("the body was discarded before it was read"));
            }
        }
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    /** Called when the body has ended; subclasses can move the channel on. */
    protected void ended() {
    }

    /** Called when the body failed instead of ending (see {@link #fail}); what follows on the channel cannot be trusted. */
    protected void broke() {
    }

    private void deliver() {
        BodyReceiver receiver = waiting;
        if (receiver == null) {
            if (discarded && !isComplete()) {
                readMore();
            }
            return;
        }
        if (failure != null) {
            waiting = null;
            receiver.onError(failure);
        } else if (!buffered.isEmpty()) {
            waiting = null;
            ByteBuf chunk = buffered.poll();
            bufferedBytes -= chunk.readableBytes();
            receiver.onChunk(chunk);
        } else if (trailers != null) {
            waiting = null;
            receiver.onEnd(trailers);
        }
    }

    private void releaseBuffered() {
        ByteBuf chunk;
        while ((chunk = buffered.poll()) != null) {
            chunk.release();
        }
        bufferedBytes = 0;
    }
}
