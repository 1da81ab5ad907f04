package io.edgegate.dataplane.server;

import io.edgegate.dataplane.http.HopByHop;
import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.http.ResponseDate;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.Response;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one HTTP/1.1 connection, one exchange at a time and in order, so
 * pipelined requests are answered in the order they were sent. Auto-read is off: the socket is
 * read when the connection wants a new request head, or when the current request's body is
 * pulled, so an upload goes upstream at the pace the upstream takes it.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter implements RequestBody.Source {

    /** The most of an unwanted request body read to keep its connection (Go's server: 256 KB). */
    private static final long MAX_DRAIN_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);
    private static final int MAX_READ_AHEAD_MESSAGES = 8;

    private final Supplier<ServerState> state;
    private final HeaderTimeout headerTimeout;
    private final RequestContext.Connection connection;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private RequestBody body;
    private boolean keepAlive;
    private boolean responseDone;
    private boolean draining;
    private boolean closed;
    private boolean upgrading;
    private final SendTimeout sendTimeout;
    private final ResponseDate date;

    Http1Connection(Supplier<ServerState> state, HeaderTimeout headerTimeout, RequestContext.Connection connection, ResponseDate date) {
        this.state = state;
        this.headerTimeout = headerTimeout;
        this.connection = connection;
        this.date = date;
        // NGINX's send_timeout, at the idle time: what a client may take to make room for its response.
        this.sendTimeout = new SendTimeout(state.get().spec().keepAliveTimeout(), Http1Connection::closeStalled);
    }

    /** A client that stopped reading its response (a slow-read attack, or one gone without a word). */
    private static void closeStalled(ChannelHandlerContext ctx) {
        log.debug("closing {}: the client reads nothing of its response", ctx.channel().remoteAddress());
        ctx.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void readMore() {
        ctx.channel().read();
    }

    @Override
    public void sendContinue() {
        ctx.channel().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            // Refused and closing: what the decoder still hands over from the same read is dropped.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange == null) {
            dispatch(msg);
        } else if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && !body.isComplete()) {
            body.offer(content);
        } else {
            // The next pipelined request (or its body) arrived before this exchange ended.
            pipelined.add(msg);
        }
        readAhead();
    }

    /**
     * While a request whose body has fully arrived is being answered, the connection keeps
     * reading, up to a few pipelined messages: asking again from within a read keeps the
     * socket's read interest set instead of clearing and re-arming it per request. Upgrades
     * are not read ahead: what follows them is not HTTP.
     */
    private void readAhead() {
        if (exchange != null && !upgrading && !closed && body != null && body.isComplete()
                && pipelined.size() < MAX_READ_AHEAD_MESSAGES) {
            ctx.read();
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            start(request);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.read();
        }
    }

    private void start(HttpRequest request) {
        headerTimeout.headReceived();
        ServerState current = state.get();
        Optional<RequestChecks.Refusal> refusal = RequestChecks.check(request);
        if (refusal.isPresent()) {
            Exchange.refusedOnHead(current, request, ctx.channel(), false, refusal.get().status().code(),
                    PlainResponses.bodyLength(refusal.get().status(), refusal.get().reason()));
            refuse(refusal.get().status(), refusal.get().reason());
            return;
        }
        // Routing and filters see the request as it goes on: without what describes the client's hop alone.
        HopByHop.dropNamedByConnection(request.headers());
        Admission.Outcome outcome = Admission.admit(request, current, (InetSocketAddress) ctx.channel().remoteAddress(),
                bodyLength(request));
        if (outcome instanceof Admission.Refused refused) {
            Exchange.refusedOnHead(current, request, ctx.channel(), false, refused.status().code(),
                    PlainResponses.bodyLength(refused.status(), refused.reason()));
            refuse(refused.status(), refused.reason());
            return;
        }
        Admission.Admitted admitted = (Admission.Admitted) outcome;
        upgrading = request.headers().contains(HttpHeaderNames.UPGRADE);
        keepAlive = HttpUtil.isKeepAlive(request) && current.spec().keepAlive() && !draining;
        responseDone = false;
        body = new RequestBody(this, admitted.contentLength(), admitted.bodyLimit(), admitted.expectContinue(),
                this::bodyEnded);
        // The answer is framed for the request the client sent: a filter may change the method of the one sent on
        // (a GET sent upstream as HEAD), and the client still reads a GET's answer.
        HttpMethod method = request.method();
        HttpVersion version = request.protocolVersion();
        Exchange started = Exchange.start(admitted.match(), request, body, ctx.channel(), current, connection);
        exchange = started;
        started.response().thenAccept(response -> respond(started, method, version, response));
    }

    /**
     * The body's length as the head frames it (RFC 9112 §6.3): Content-Length, -1 for chunked,
     * and none at all without either. (RequestChecks already refused the ambiguous cases.)
     */
    private static long bodyLength(HttpRequest request) {
        if (HttpUtil.isTransferEncodingChunked(request)) {
            return -1;
        }
        return Admission.declaredLength(request, 0L);
    }

    private void respond(Exchange started, HttpMethod method, HttpVersion version, Response response) {
        if (exchange != started || closed) {
            response.body().discard();
            started.written(0, false);
            return;
        }
        if (response.tunnel() != null) {
            // The tunnel's bytes are not the response's: the line is written as it opens.
            started.written(0, true);
            // A drain that comes while it opens (its server deleted) ends it as soon as it is open.
            Tunnel.open(ctx, response, started, () -> draining);
            return;
        }
        // A body that broke off (malformed chunks) ends the connection after this answer: its head says so.
        boolean bodyBroken = body != null && body.failed();
        ResponseWriter.Written written = ResponseWriter.http1(ctx, response, method, version, keepAlive && !bodyBroken, sendTimeout, date);
        keepAlive = written.keepAlive();
        written.done().whenComplete((ok, writeError) -> {
            Throwable error = writeError == null && written.framingBroken()
                    ? new IllegalStateException("the answer's body had " + written.bytes().getAsLong() + " bytes, its Content-Length said "
                            + written.declaredLength())
                    : writeError;
            started.written(written.bytes().getAsLong(), error);
            if (error != null) {
                log.debug("response to {} not completed: {}", ctx.channel().remoteAddress(), error.toString());
                started.abort();
                ctx.close();
                return;
            }
            responseDone = true;
            if (body.failed()) {
                // The body broke off (too large, malformed): what follows on the wire cannot be parsed.
                LingeringClose.after(ctx.channel());
                return;
            }
            if (!body.isComplete()) {
                if (body.continueWithheld() || !keepAlive) {
                    ctx.close();
                    return;
                }
                if (body.contentLength() - body.received() > MAX_DRAIN_BYTES) {
                    // Much more is announced than is worth reading for nothing (Go's server drains 256 KB): the
                    // connection ends instead, once the answer is out.
                    LingeringClose.after(ctx.channel());
                    return;
                }
                body.discard();
                return;
            }
            finish();
        });
    }

    private void bodyEnded() {
        if (responseDone) {
            ctx.executor().execute(this::finish);
        }
    }

    /** The response is written and the request body consumed: the connection moves on. */
    private void finish() {
        if (exchange == null) {
            return;
        }
        // A body that broke off (malformed chunks): what follows on the wire cannot be parsed.
        boolean bodyBroken = body != null && body.failed();
        if (body != null) {
            // A body nobody read (a refusal, a Mock) still holds its chunks: they go now.
            body.discard();
        }
        exchange = null;
        body = null;
        if (!keepAlive || draining || bodyBroken) {
            ctx.close();
            return;
        }
        headerTimeout.awaitNextHead();
        // Requests read ahead: start the next one and hand it its own body parts from the queue.
        Object next;
        while ((next = pipelined.peek()) != null) {
            if (exchange == null) {
                dispatch(pipelined.poll());
            } else if (next instanceof HttpContent content && !(next instanceof HttpRequest) && !body.isComplete()) {
                pipelined.poll();
                body.offer(content);
            } else {
                break;
            }
        }
        if (exchange == null) {
            ctx.read();
        }
    }

    /** Answers a request refused on its head and closes: its body, if any, is never read. */
    private void refuse(HttpResponseStatus status, String reason) {
        FullHttpResponse response = PlainResponses.of(ctx.alloc(), status, reason);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        date.addIfMissing(response.headers());
        exchange = null;
        closed = true;
        releasePipelined();
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess()) {
                LingeringClose.after(ctx.channel());
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        sendTimeout.writabilityChanged(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (body != null) {
            body.connectionClosed();
        }
        if (exchange != null) {
            exchange.abort();
        }
        releasePipelined();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (exchange == null && !headerTimeout.headInProgress()) {
                ctx.close();
            } else if (body != null && (body.isWaiting() || responseDone && !body.isComplete())) {
                // A client that stopped sending its body: we waited for it the whole idle time, whether
                // a filter was reading it or it was being thrown away after an early answer.
                log.debug("closing {}: request body stalled", ctx.channel().remoteAddress());
                ctx.close();
            }
        } else if (event == DrainEvent.INSTANCE) {
            draining = true;
            if (exchange == null) {
                ctx.close();
            } else if (responseDone && body != null && !body.isComplete()) {
                // Answered; only the rest of a body nobody wants is still coming.
                LingeringClose.after(ctx.channel());
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void releasePipelined() {
        Object msg;
        while ((msg = pipelined.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
