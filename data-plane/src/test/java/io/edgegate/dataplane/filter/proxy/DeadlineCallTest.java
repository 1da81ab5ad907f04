package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.answer;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.v1MainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deadline part of a Proxy: the pool's timeout and a TimeLimiter's limit, whichever comes first. */
class DeadlineCallTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<CompletableFuture<UpstreamResponse>> sent = new ArrayList<>();
    /** A stand-in for sending whose answer never comes. */
    private final UpstreamCall silent = (exchange, server, body) -> {
        CompletableFuture<UpstreamResponse> pending = new CompletableFuture<>();
        sent.add(pending);
        return pending;
    };
    private final ServerPool pool;

    DeadlineCallTest() throws Exception {
        channel.freezeTime();
        pool = v1MainPool(proxy("""
                kind: HTTPPipeline
                name: p
                filters:
                  - name: proxy
                    kind: Proxy
                    mainPool:
                      servers: [{url: 'http://10.0.0.1:80'}]
                      timeout: 500ms
                """));
    }

    private CompletableFuture<UpstreamResponse> send(RequestContext context) {
        ProxyExchange exchange = new ProxyExchange(context, pool);
        return new DeadlineCall(silent).send(exchange, pool.pick(context), context.requestBody());
    }

    @Test
    void anAnswerThatMissesThePoolTimeoutFailsTheExchangeItself() {
        CompletableFuture<UpstreamResponse> answer = send(request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));

        channel.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(answer).isNotDone();
        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ResponseTimeout.class);
        // The upstream exchange is the one failed: that is what closes its connection.
        assertThat(sent.get(0)).isCompletedExceptionally();
    }

    @Test
    void aTimeLimiterShorterThanThePoolTimeoutWins() {
        RequestContext context = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
        context.put(RequestKeys.DEADLINE_NANOS, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        CompletableFuture<UpstreamResponse> answer = send(context);

        channel.advanceTimeBy(150, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(answer).isCompletedExceptionally();
    }

    @Test
    void anAnswerInTimeCancelsTheTimer() {
        CompletableFuture<UpstreamResponse> answer = send(request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));
        UpstreamResponse ok = answer(200, "ok");
        sent.get(0).complete(ok);

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(answer.join()).isSameAs(ok);
        ok.body().discard();
    }

    @Test
    void aDeadlineAlreadyPastSendsNothingAndReleasesTheBody() {
        ByteBuf content = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        RequestContext context = request(channel, HttpMethod.PUT, "/", new FixedBody(content));
        context.put(RequestKeys.DEADLINE_NANOS, System.nanoTime() - 1);

        CompletableFuture<UpstreamResponse> answer = send(context);

        assertThat(answer).isCompletedExceptionally();
        assertThat(sent).isEmpty();
        assertThat(content.refCnt()).isZero();
    }
}
