package io.edgegate.dataplane.upstream;

import io.edgegate.async.Causes;
import io.edgegate.dataplane.http.BodyPump;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.IdempotentMethods;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletableFuture;

/**
 * One request on an HTTP/1.1 connection to an upstream server, from its head written to the
 * connection going back to its pool (or closed). Three events decide it: the request was sent
 * whole (or failed), the response head came (or the connection failed), the response body was
 * read to its end; and the caller may give up at any moment by failing {@code result}. One object
 * follows them all, so an exchange costs no chain of futures.
 */
final class Http1Exchange implements Runnable {

    private final Channel channel;
    private final ServerConnections connections;
    private final HttpRequest head;
    private final BodyStream body;
    private final AttemptBody attemptBody;
    private final CompletableFuture<UpstreamResponse> result;
    private final boolean reused;
    private final int maxIdle;
    /** Whether the answer is timed here (the connection's idle time), not by a deadline of the caller's. */
    private final boolean answerTimedHere;
    /** Where a failed first request on a reused connection is sent again, on a new connection. */
    private final UpstreamClient client;
    private final EventLoop loop;
    private final UpstreamAddress address;
    private final UpstreamHandler handler;
    private final boolean upgrade;
    private CompletableFuture<HttpResponse> response;

    private boolean sent;
    private Throwable sendFailure;
    private boolean bodyEnded;
    /** The answer was handed on and its connection is kept or closed once the request was sent and the body read. */
    private boolean awaitingRelease;
    private boolean keepAlive;

    private Http1Exchange(UpstreamClient client, EventLoop loop, UpstreamAddress address, Channel channel,
                          ServerConnections connections, HttpRequest head, BodyStream body,
                          CompletableFuture<UpstreamResponse> result, boolean reused, int maxIdle, boolean answerTimedHere) {
        this.client = client;
        this.loop = loop;
        this.address = address;
        this.channel = channel;
        this.connections = connections;
        this.head = head;
        this.body = body;
        this.attemptBody = new AttemptBody(body);
        this.result = result;
        this.reused = reused;
        this.maxIdle = maxIdle;
        this.answerTimedHere = answerTimedHere;
        this.handler = channel.pipeline().get(UpstreamHandler.class);
        this.upgrade = head.headers().contains(HttpHeaderNames.UPGRADE);
    }

    static void start(UpstreamClient client, EventLoop loop, UpstreamAddress address, Channel channel,
                      ServerConnections connections, HttpRequest head, BodyStream body,
                      CompletableFuture<UpstreamResponse> result, boolean reused, int maxIdle, boolean answerTimedHere) {
        new Http1Exchange(client, loop, address, channel, connections, head, body, result, reused, maxIdle, answerTimedHere)
                .start();
    }

    private void start() {
        channel.config().setAutoRead(false);
        response = handler.begin(this);
        // The body's writes report the exchange's fate; a head that cannot be written fails the handler, which closes.
        channel.write(head, channel.voidPromise());
        if (upgrade) {
            body.discard();
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> sendEnded(null, null));
        } else {
            BodyPump.start(attemptBody, channel).done().whenComplete(this::sendEnded);
        }
        channel.read();
        // The caller gave up (client gone, or no answer in time): the exchange ends with its connection.
        result.whenComplete(this::resultEnded);
        response.whenComplete(this::answered);
    }

    /** The response body was read to its end. */
    @Override
    public void run() {
        bodyEnded = true;
        releaseWhenDone();
    }

    private void sendEnded(Void ok, Throwable failed) {
        sent = true;
        sendFailure = failed;
        // The client's body broke (it went away) before an answer: its own failure (e.g. too large)
        // says more than the closed connection it causes.
        if (failed != null && !response.isDone()) {
            result.completeExceptionally(Causes.unwrap(failed));
            channel.close();
        } else if (failed == null && !response.isDone() && answerTimedHere) {
            handler.awaitAnswer();
        }
        releaseWhenDone();
    }

    private void resultEnded(UpstreamResponse ok, Throwable failed) {
        if (failed != null && !response.isDone()) {
            channel.close();
        }
    }

    private void answered(HttpResponse responseHead, Throwable error) {
        if (result.isDone()) {
            if (error == null) {
                handler.body().discard();
            }
            return;
        }
        if (error != null) {
            channel.close();
            // A pooled connection the server closed as the request went out: sent again on a new one, when that is
            // safe. A server that went silent had the request, and one that is not idempotent may have been acted on.
            if (reused && attemptBody.replayable() && !(error instanceof UpstreamTimeoutException)
                    && IdempotentMethods.contains(head.method())) {
                // Nothing of the body was taken: it goes on a new connection, as it is.
                attemptBody.discard();
                client.attempt(loop, address, head, body, result, false, maxIdle, answerTimedHere);
            } else {
                body.discard();
                result.completeExceptionally(error);
            }
            return;
        }
        if (responseHead.status().code() == 101) {
            if (upgrade) {
                result.complete(new UpstreamResponse(responseHead, BodyStream.EMPTY, channel));
            } else {
                // Not an answer to this request (Go's ReverseProxy, so Easegress, answers 502 too): relayed, it would
                // end the client's request without a response of its own.
                channel.close();
                body.discard();
                result.completeExceptionally(new UpstreamException("upstream switched protocols for a request that asked for no upgrade",
                        null, false));
            }
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(head) && HttpUtil.isKeepAlive(responseHead);
        awaitingRelease = true;
        releaseWhenDone();
        result.complete(new UpstreamResponse(responseHead, handler.body(), null));
    }

    /** Once the request was sent and the answer read: the connection goes back to its pool, or is closed. */
    private void releaseWhenDone() {
        if (!awaitingRelease || !sent || !bodyEnded) {
            return;
        }
        awaitingRelease = false;
        if (sendFailure == null && keepAlive && channel.isActive() && !UpstreamHttpCodec.holdsUnreadBytes(channel)) {
            handler.idle();
            // A pooled connection keeps a read outstanding, so a server closing it is noticed
            // while it waits (and the read interest is not cleared and re-armed per request).
            channel.read();
            connections.release(channel, maxIdle);
        } else {
            if (sendFailure != null) {
                body.discard();
            }
            channel.close();
        }
    }
}
