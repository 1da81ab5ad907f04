package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.pipeline.Pipeline;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RouteMatch;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one client connection, one at a time and in order, so pipelined
 * HTTP/1.1 requests get their responses in the order they were sent. Each request is routed
 * with the listener's current state, read once, and runs through the pipeline it matched.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Requests read ahead of the one in flight before we stop reading from the socket. */
    private static final int MAX_QUEUED = 16;

    private final Supplier<ServerState> state;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean draining;

    RequestDispatcher(Supplier<ServerState> state) {
        this.state = state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            queued.add(request);
            if (queued.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        serve(request);
    }

    private void serve(FullHttpRequest request) {
        busy = true;
        if (!request.decoderResult().isSuccess()) {
            refuseMalformed(request);
            return;
        }
        ServerState current = state.get();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && current.spec().keepAlive();
        RouteMatch match = current.routes().route(
                RequestTarget.host(request.headers().get(HttpHeaderNames.HOST)),
                RequestTarget.path(request.uri()),
                request.method().name());
        switch (match.outcome()) {
            case NOT_FOUND -> answer(request, HttpResponseStatus.NOT_FOUND, "no route matches", keepAlive);
            case METHOD_NOT_ALLOWED -> answer(request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method " + request.method() + " is not allowed here", keepAlive);
            case MATCHED -> {
                Pipeline pipeline = current.pipelines().get(match.backend());
                if (pipeline == null) {
                    answer(request, HttpResponseStatus.SERVICE_UNAVAILABLE, "pipeline " + match.backend() + " is not available", keepAlive);
                } else {
                    run(pipeline, request, current, keepAlive);
                }
            }
        }
    }

    private void run(Pipeline pipeline, FullHttpRequest request, ServerState current, boolean keepAlive) {
        RequestContext context = new RequestContext(request, ctx.channel().eventLoop(), ctx.alloc(),
                (InetSocketAddress) ctx.channel().remoteAddress(), current.settings());
        pipeline.run(context).whenComplete((done, error) -> {
            if (ctx.executor().inEventLoop()) {
                finish(context, pipeline, error, keepAlive);
            } else {
                ctx.executor().execute(() -> finish(context, pipeline, error, keepAlive));
            }
        });
    }

    private void finish(RequestContext context, Pipeline pipeline, Throwable error, boolean keepAlive) {
        FullHttpResponse response;
        if (error != null) {
            log.error("pipeline {} failed: {}", pipeline.name(), error.toString());
            response = PlainResponses.of(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "");
        } else {
            response = context.takeResponse();
        }
        context.release();
        write(response, keepAlive);
    }

    private void answer(FullHttpRequest request, HttpResponseStatus status, String message, boolean keepAlive) {
        request.release();
        write(PlainResponses.of(ctx.alloc(), status, message), keepAlive);
    }

    private void refuseMalformed(FullHttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        request.release();
        // After a framing error the rest of the stream cannot be trusted: answer and close.
        write(PlainResponses.of(ctx.alloc(), status, "malformed request"), false);
    }

    private void write(FullHttpResponse response, boolean keepAlive) {
        boolean keep = keepAlive && !draining && ctx.channel().isActive();
        if (keep) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keep) {
            written.addListener(ChannelFutureListener.CLOSE);
            busy = true;
            releaseQueued();
            return;
        }
        busy = false;
        FullHttpRequest next = queued.poll();
        if (next != null) {
            serve(next);
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close();
        } else if (event == DrainEvent.INSTANCE) {
            draining = true;
            if (!busy) {
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void releaseQueued() {
        FullHttpRequest request;
        while ((request = queued.poll()) != null) {
            request.release();
        }
    }
}
