package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.answer;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.mainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The retry part of a Proxy: which requests are sent again, to which server, with which body. */
class RetryingCallTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    /** Each attempt: the server and the body it was sent. */
    private final List<String> attempts = new ArrayList<>();

    private static ServerPool pool(String retry) throws Exception {
        return mainPool(proxy("""
                kind: Pipeline
                name: p
                resilience:
                  - name: retry3
                    kind: Retry
                    maxAttempts: 3
                    waitDuration: 10ms
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}, {url: 'http://10.0.0.2:80'}]
                        loadBalance: {policy: roundRobin}
                        %s
                        failureCodes: [503]
                """.formatted(retry)));
    }

    /** A stand-in for sending: answers with the statuses given, in turn, and records each attempt. */
    private UpstreamCall answering(int... statuses) {
        return (exchange, server, body) -> {
            int status = statuses[Math.min(attempts.size(), statuses.length - 1)];
            CompletableFuture<UpstreamResponse> answered = new CompletableFuture<>();
            BodyCollector.collect(body, channel.alloc(), 1 << 20).whenComplete((bytes, error) -> {
                attempts.add(server.url() + " " + bytes.toString(StandardCharsets.UTF_8));
                bytes.release();
                answered.complete(answer(status, "status " + status));
            });
            return answered;
        };
    }

    private UpstreamResponse send(ServerPool pool, UpstreamCall retrying, RequestContext context) {
        ProxyExchange exchange = new ProxyExchange(context, pool);
        Upstream first = pool.pick(context);
        exchange.sendTo(first);
        CompletableFuture<UpstreamResponse> sent = retrying.send(exchange, first, context.requestBody());
        for (int i = 0; i < 10 && !sent.isDone(); i++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
        }
        return sent.join();
    }

    private static BodyStream body(String text) {
        return new FixedBody(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void aFailingAnswerIsRetriedOnTheNextServerWithTheSameBody() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(503, 503, 200));

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.PUT, "/", body("order 7")));

        assertThat(last.head().status().code()).isEqualTo(200);
        assertThat(attempts).containsExactly("http://10.0.0.1:80 order 7", "http://10.0.0.2:80 order 7", "http://10.0.0.1:80 order 7");
        last.body().discard();
    }

    /** As Easegress v2: only the pool's failureCodes (and errors) are retried; another 5xx is the pool's answer. */
    @Test
    void anAnswerOutsideTheFailureCodesIsNotRetriedEvenA5xx() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(500, 200));

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));

        assertThat(last.head().status().code()).isEqualTo(500);
        assertThat(attempts).hasSize(1);
        last.body().discard();
    }

    /** As Easegress's Retry: EXPONENTIAL waits grow ×1.5 per retry, and without randomizationFactor they are exact. */
    @Test
    void exponentialWaitsGrowByHalfAndAreExactWithoutARandomizationFactor() throws Exception {
        ServerPool pool = mainPool(proxy("""
                kind: Pipeline
                name: p
                resilience:
                  - {name: retry5, kind: Retry, maxAttempts: 5, waitDuration: 1s, backOffPolicy: EXPONENTIAL}
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}]
                        retryPolicy: retry5
                """));
        var plan = pool.retry().orElseThrow();
        assertThat(List.of(plan.backoffNanos(1), plan.backoffNanos(2), plan.backoffNanos(3)))
                .containsExactly(1_000_000_000L, 1_500_000_000L, 2_250_000_000L);
    }

    /** The form users write most: a retryPolicy and no failureCodes. As Easegress v2, every 5xx fails then, and no other answer. */
    @Test
    void withoutFailureCodesEvery5xxIsRetried() throws Exception {
        ServerPool pool = mainPool(proxy("""
                kind: Pipeline
                name: p
                resilience:
                  - {name: retry3, kind: Retry, maxAttempts: 3, waitDuration: 10ms}
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}, {url: 'http://10.0.0.2:80'}]
                        retryPolicy: retry3
                """));
        UpstreamResponse answered = send(pool, new RetryingCall(RetryingCall.plansOf(pool), answering(503, 500, 200)),
                request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));
        assertThat(answered.head().status().code()).isEqualTo(200);
        assertThat(attempts).hasSize(3);
        answered.body().discard();

        attempts.clear();
        UpstreamResponse notFound = send(pool, new RetryingCall(RetryingCall.plansOf(pool), answering(404, 200)),
                request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));
        assertThat(notFound.head().status().code()).isEqualTo(404);
        assertThat(attempts).hasSize(1);
        notFound.body().discard();

        attempts.clear();
        UpstreamCall refusedOnce = (exchange, server, body) -> {
            if (attempts.isEmpty()) {
                attempts.add(server.url() + " refused");
                return CompletableFuture.failedFuture(new io.edgegate.dataplane.upstream.UpstreamException(
                        "connection refused", new java.net.ConnectException("refused"), true));
            }
            return answering(200).send(exchange, server, body);
        };
        UpstreamResponse retried = send(pool, new RetryingCall(RetryingCall.plansOf(pool), refusedOnce),
                request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));
        assertThat(retried.head().status().code()).isEqualTo(200);
        assertThat(attempts).hasSize(2);
        retried.body().discard();
    }

    /** The pool's timeout counts for each attempt (Easegress times each try): one that timed out is retried. */
    @Test
    void anAttemptThatTimedOutIsRetriedWithATimeoutOfItsOwn() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3\n        timeout: 1s");
        UpstreamCall hangsOnce = (exchange, server, body) -> {
            if (attempts.isEmpty()) {
                attempts.add(server.url() + " silent");
                body.discard();
                return new CompletableFuture<>();
            }
            return answering(200).send(exchange, server, body);
        };

        UpstreamResponse last = send(pool, new RetryingCall(RetryingCall.plansOf(pool), new DeadlineCall(hangsOnce)),
                request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));

        assertThat(last.head().status().code()).isEqualTo(200);
        assertThat(attempts).containsExactly("http://10.0.0.1:80 silent", "http://10.0.0.2:80 ");
        last.body().discard();
    }

    @Test
    void aHeldBodyIsReleasedWhenAttemptsFailBeforeSendingIt() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        // As the upstream client does on a refused connect: fails without reading the body, which stays the caller's.
        UpstreamCall refusedTwice = (exchange, server, body) -> {
            if (attempts.size() < 2) {
                attempts.add(server.url() + " refused");
                return CompletableFuture.failedFuture(new io.edgegate.dataplane.upstream.UpstreamException(
                        "connection refused", new java.net.ConnectException("refused"), true));
            }
            return answering(200).send(exchange, server, body);
        };
        ByteBuf original = Unpooled.copiedBuffer("pay 10", StandardCharsets.UTF_8);

        UpstreamResponse last = send(pool, new RetryingCall(RetryingCall.plansOf(pool), refusedTwice),
                request(channel, HttpMethod.POST, "/", new FixedBody(original)));
        last.body().discard();

        assertThat(attempts).containsExactly("http://10.0.0.1:80 refused", "http://10.0.0.2:80 refused", "http://10.0.0.1:80 pay 10");
        assertThat(original.refCnt()).as("the held body, once every attempt is done").isZero();
    }

    @Test
    void theLastFailureIsTheAnswerWhenAttemptsRunOut() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(503));

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));

        assertThat(last.head().status().code()).isEqualTo(503);
        assertThat(attempts).hasSize(3);
        last.body().discard();
    }

    @Test
    void aPostIsNotSentTwiceOnceTheServerHadIt() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(503, 200));

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.POST, "/", body("pay 10")));

        assertThat(last.head().status().code()).isEqualTo(503);
        assertThat(attempts).containsExactly("http://10.0.0.1:80 pay 10");
        last.body().discard();
    }

    @Test
    void aBodyTooLargeToHoldIsSentOnceAndStreamed() throws Exception {
        ServerPool pool = pool("retryPolicy: retry3");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(503, 200));
        ByteBuf large = Unpooled.buffer(RetryingCall.REPLAY_LIMIT + 1).writeZero(RetryingCall.REPLAY_LIMIT + 1);

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.PUT, "/", new FixedBody(large)));

        assertThat(last.head().status().code()).isEqualTo(503);
        assertThat(attempts).hasSize(1);
        last.body().discard();
    }

    @Test
    void withoutAPlanThereIsOneAttempt() throws Exception {
        ServerPool pool = pool("");
        UpstreamCall retrying = new RetryingCall(RetryingCall.plansOf(pool), answering(503, 200));

        UpstreamResponse last = send(pool, retrying, request(channel, HttpMethod.GET, "/", BodyStream.EMPTY));

        assertThat(last.head().status().code()).isEqualTo(503);
        assertThat(attempts).hasSize(1);
        last.body().discard();
    }
}
