package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.ResponseDate;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.function.Supplier;

/** Puts the handlers of the protocol a connection speaks (HTTP/1.1 or HTTP/2) after the handlers every connection has. */
final class ConnectionSetup {

    static final String CODEC = "http-codec";
    static final String HTTP1 = "http1";
    static final String HTTP2 = "http2";
    static final String HTTP2_FLUSHES = "http2-flushes";
    static final String HTTP2_CONNECTION = "http2-connection";

    /** Go's default and a common browser expectation. */
    static final int MAX_CONCURRENT_STREAMS = 250;

    private final Supplier<ServerState> state;
    private final HeaderTimeout headerTimeout;
    private final String scheme;
    private final ResponseDate date;

    /** The state new connections and requests are served with now. */
    ServerState state() {
        return state.get();
    }

    ConnectionSetup(Supplier<ServerState> state, HeaderTimeout headerTimeout, String scheme, ResponseDate date) {
        this.state = state;
        this.headerTimeout = headerTimeout;
        this.scheme = scheme;
        this.date = date;
    }

    void http1(ChannelPipeline pipeline) {
        pipeline.addLast(CODEC, new HttpServerCodec(HttpListener.MAX_INITIAL_LINE, HttpListener.MAX_HEADER_SIZE, 8192))
                .addLast(HTTP1, new Http1Connection(state, headerTimeout, new RequestContext.Connection(scheme, false), date));
    }

    /**
     * HTTP/2: one handler serves the connection's streams frame by frame, each request served
     * like an HTTP/1 exchange. The connection reads freely; HTTP/2 flow control, released as each
     * stream's body is consumed, is what holds a fast sender back.
     */
    void http2(ChannelPipeline pipeline) {
        // Slow heads are an HTTP/1 problem; a stalled HTTP/2 connection is closed by the idle timer.
        if (pipeline.get(HttpListener.HEADER_TIMEOUT) != null) {
            pipeline.remove(HttpListener.HEADER_TIMEOUT);
        }
        Http2ServerHandler streams = Http2ServerHandler.create(state, new RequestContext.Connection(scheme, true),
                Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(HttpListener.MAX_HEADER_SIZE), date);
        // Streams of one connection answered in the same turn of the event loop go out in one write: each
        // stream's flush would otherwise be a syscall of its own (2.0 -> 1.2 writes per request under h2load).
        pipeline.addLast(HTTP2_FLUSHES, new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                .addLast(HTTP2, streams)
                .addLast(HTTP2_CONNECTION, new Http2Connection(streams, state.get().spec().keepAliveTimeout()));
        pipeline.channel().config().setAutoRead(true);
    }
}
