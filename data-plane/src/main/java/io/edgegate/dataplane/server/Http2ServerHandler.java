package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.ResponseDate;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of an HTTP/2 connection, served frame by frame: one handler per connection,
 * and each stream a light {@link Http2ServerStream} that the decoder's frames feed and that
 * writes its response through the encoder. No channel, pipeline or frame objects per stream.
 * Netty's connection handler keeps what it enforces: flow control, the stream limit, and the
 * defences against floods of resets, CONTINUATION, SETTINGS and PING frames.
 */
final class Http2ServerHandler extends Http2ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(Http2ServerHandler.class);

    private final Supplier<ServerState> state;
    private final RequestContext.Connection requests;
    private final ResponseDate date;
    /** Each stream's {@link Http2ServerStream}, from its first HEADERS frame on. */
    private final Http2Connection.PropertyKey served;

    private Http2ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                               Supplier<ServerState> state, RequestContext.Connection requests, ResponseDate date) {
        super(decoder, encoder, settings);
        this.state = state;
        this.requests = requests;
        this.date = date;
        this.served = connection().newKey();
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2ServerStream closed = stream.removeProperty(served);
                if (closed != null) {
                    closed.closed();
                }
            }
        });
        decoder.frameListener(new Frames());
    }

    /**
     * The connection's receive window, beyond a stream's (64 KB): with only the protocol's 64 KB for the whole
     * connection, one stream whose body waits for a slow upstream would hold every other stream's body back.
     * Envoy's default; a client still has at most this much unread per connection.
     */
    static final int CONNECTION_WINDOW = 1024 * 1024;

    private boolean windowExpanded;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        expandConnectionWindow(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        expandConnectionWindow(ctx);
    }

    /** Once the preface's SETTINGS went out (the handler sends them as soon as the channel is active). */
    private void expandConnectionWindow(ChannelHandlerContext ctx) throws Http2Exception {
        if (windowExpanded || !ctx.channel().isActive()) {
            return;
        }
        windowExpanded = true;
        Http2Stream connectionStream = connection().connectionStream();
        int delta = CONNECTION_WINDOW - connection().local().flowController().initialWindowSize(connectionStream);
        if (delta > 0) {
            connection().local().flowController().incrementWindowSize(connectionStream, delta);
            flush(ctx);
        }
    }

    /** A handler that announces {@code settings} to the client. */
    static Http2ServerHandler create(Supplier<ServerState> state, RequestContext.Connection requests, Http2Settings settings,
                                     ResponseDate date) {
        return new Builder(state, requests, date).settings(settings).build();
    }

    /** The Date of answers that have none. */
    ResponseDate date() {
        return date;
    }

    /** Whether the connection's receive window lets the client send DATA now (other streams' unread bodies may fill it). */
    boolean clientMaySend() {
        return connection().local().flowController().windowSize(connection().connectionStream()) > 0;
    }

    /** Gives the client back {@code bytes} of window on {@code stream}; whether a WINDOW_UPDATE was written. */
    boolean consumed(Http2Stream stream, int bytes) throws Http2Exception {
        return connection().local().flowController().consumeBytes(stream, bytes);
    }

    /** Resets (CANCEL) each stream whose request body the pipeline waits for and the client does not send. */
    void resetStreamsWaitingForTheirBody() {
        resetStalled(Http2ServerStream::waitsForItsBody);
    }

    /** Resets streams whose request body the client has not moved for {@code timeoutNanos} as of {@code now}. */
    void resetStreamsWhoseBodyStalled(long now, long timeoutNanos) {
        resetStalled(stream -> stream.bodyStalled(now, timeoutNanos));
    }

    private void resetStalled(java.util.function.Predicate<Http2ServerStream> stalledBody) {
        java.util.List<Http2ServerStream> stalled = new java.util.ArrayList<>();
        try {
            connection().forEachActiveStream(stream -> {
                Http2ServerStream open = stream.getProperty(served);
                if (open != null && stalledBody.test(open)) {
                    stalled.add(open);
                }
                return true;
            });
        } catch (Http2Exception visitorFailed) {
            // Only a visitor throws it, and this one does not.
            throw new IllegalStateException(visitorFailed);
        }
        for (Http2ServerStream stream : stalled) {
            log.debug("HTTP/2 stream {}: request body stalled for an idle time", stream);
            stream.reset(Http2Error.CANCEL);
        }
    }

    /** Whether the client's windows and the socket let {@code stream} send more now. */
    boolean isWritable(Http2Stream stream) {
        return connection().remote().flowController().isWritable(stream);
    }

    /** The frames of streams: requests, their bodies and trailers. Everything else is the codec's. */
    private final class Frames extends Http2FrameAdapter {

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            Http2Stream stream = connection().stream(streamId);
            if (stream == null) {
                return;
            }
            Http2ServerStream known = stream.getProperty(served);
            if (known != null) {
                known.trailers(headers, endOfStream);
                return;
            }
            Http2ServerStream started = new Http2ServerStream(Http2ServerHandler.this, ctx, stream);
            stream.setProperty(served, started);
            try {
                started.start(headers, endOfStream, state.get(), requests);
            } catch (RuntimeException failed) {
                // One request's failure is not the connection's: the other streams go on.
                log.warn("HTTP/2 stream {} of {} failed: {}", streamId, ctx.channel().remoteAddress(), failed.toString(), failed);
                started.reset(Http2Error.INTERNAL_ERROR);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            Http2Stream stream = connection().stream(streamId);
            Http2ServerStream known = stream == null ? null : stream.getProperty(served);
            if (known == null) {
                return data.readableBytes() + padding;
            }
            return known.data(data, endOfStream) + padding;
        }
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerHandler, Builder> {

        private final Supplier<ServerState> state;
        private final RequestContext.Connection requests;
        private final ResponseDate date;

        Builder(Supplier<ServerState> state, RequestContext.Connection requests, ResponseDate date) {
            this.state = state;
            this.requests = requests;
            this.date = date;
            server(true);
            // A drained connection (its listener closing) says GOAWAY and closes when its last stream is done, as an
            // HTTP/1.1 connection finishes its request in flight. (Netty's frame codec closed it at once, cutting them.)
            gracefulShutdownTimeoutMillis(-1);
        }

        Builder settings(Http2Settings settings) {
            return initialSettings(settings);
        }

        @Override
        protected Http2ServerHandler build() {
            return super.build();
        }

        @Override
        protected Http2ServerHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            return new Http2ServerHandler(decoder, encoder, settings, state, requests, date);
        }
    }
}
