package io.edgegate.dataplane.upstream;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A filter's own request to a service (an authorization server, a discovery document): sent
 * over the node's upstream connections from the request's event loop, never blocking it, its
 * answer read whole up to a limit, the whole call bounded in time.
 */
public final class SmallCall {

    /** The status and body of an answer. */
    public record Answer(int status, byte[] body) {
    }

    private final UpstreamClient client;
    private final Duration timeout;
    private final int maxAnswer;

    public SmallCall(UpstreamClient client, Duration timeout, int maxAnswer) {
        this.client = client;
        this.timeout = timeout;
        this.maxAnswer = maxAnswer;
    }

    /** Sends {@code method uri} with {@code headers} and {@code body} (null: none). */
    public CompletableFuture<Answer> send(EventLoop loop, ByteBufAllocator alloc, HttpMethod method, URI uri, Map<String, String> headers,
                                          byte[] body) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, UpstreamAddress.target(uri));
        head.headers().set(HttpHeaderNames.HOST, uri.getRawAuthority());
        headers.forEach(head.headers()::set);
        byte[] content = body == null ? new byte[0] : body;
        if (body != null || method.equals(HttpMethod.POST)) {
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
        }
        CompletableFuture<UpstreamResponse> sent = client.send(loop, UpstreamAddress.of(uri), head,
                new FixedBody(Unpooled.wrappedBuffer(content)));
        var timer = loop.schedule(() -> sent.completeExceptionally(new TimeoutException("no answer from " + uri + " in " + timeout)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        return sent.thenCompose(answer -> BodyCollector.collectBytes(answer.body(), alloc, maxAnswer)
                        .thenApply(bytes -> new Answer(answer.head().status().code(), bytes)))
                .whenComplete((answer, error) -> timer.cancel(false));
    }
}
