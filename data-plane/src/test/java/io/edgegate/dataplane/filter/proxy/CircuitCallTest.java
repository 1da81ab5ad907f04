package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.filter.proxy.ProxyParts.mainPool;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.proxy;
import static io.edgegate.dataplane.filter.proxy.ProxyParts.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The circuit part of a Proxy: it opens on failures the pool counts and then answers for the pool. */
class CircuitCallTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ServerPool pool;
    private final FilterResults results = new FilterResults(ProxySpec.SPEC_KIND.results());
    private final AtomicInteger calls = new AtomicInteger();

    CircuitCallTest() throws Exception {
        pool = mainPool(proxy("""
                kind: Pipeline
                name: p
                resilience:
                  - name: cb
                    kind: CircuitBreaker
                    slidingWindowType: COUNT_BASED
                    slidingWindowSize: 2
                    minimumNumberOfCalls: 2
                    failureRateThreshold: 50
                    waitDurationInOpenState: 1m
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}]
                        circuitBreakerPolicy: cb
                        failureCodes: [500]
                """));
    }

    /** A stand-in for the rest of the Proxy: a server answers {@code status}, or none is picked (status 0: the Proxy's 503). */
    private ProxyCall answering(int status) {
        return exchange -> {
            calls.incrementAndGet();
            if (status == 0) {
                exchange.context().respond(HttpResponseStatus.SERVICE_UNAVAILABLE, "no server available");
                return CompletableFuture.completedFuture(ProxySpec.RESULT_INTERNAL_ERROR);
            }
            exchange.sendTo(exchange.pool().pick(exchange.context()));
            exchange.context().respond(HttpResponseStatus.valueOf(status), "answer");
            return CompletableFuture.completedFuture(status == 500 ? ProxySpec.RESULT_FAILURE_CODE : "");
        };
    }

    private RequestContext call(ProxyCall circuit) {
        RequestContext context = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
        circuit.call(new ProxyExchange(context, pool)).toCompletableFuture().join();
        return context;
    }

    @Test
    void afterTheFailuresThePolicyAllowsThePoolIsNotCalledAndClientsGet503() {
        ProxyCall failing = new CircuitCall(pool.circuit().orElseThrow(), answering(500), results);
        call(failing);
        call(failing);

        RequestContext refused = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
        String result = failing.call(new ProxyExchange(refused, pool)).toCompletableFuture().join();

        assertThat(result).isEqualTo(ProxySpec.RESULT_SHORT_CIRCUITED);
        assertThat(refused.response().head().status().code()).isEqualTo(503);
        assertThat(calls).hasValue(2);
        assertThat(pool.status()).contains("circuit OPEN");
    }

    /** As Easegress v2's circuit, which counts every call that ended in an error: no countingNetworkException needed. */
    @Test
    void aServerThatCannotBeReachedOpensTheCircuit() {
        ProxyCall unreachable = new CircuitCall(pool.circuit().orElseThrow(), exchange -> {
            calls.incrementAndGet();
            exchange.sendTo(exchange.pool().pick(exchange.context()));
            exchange.context().put(io.edgegate.dataplane.pipeline.RequestKeys.UPSTREAM_FAILED, true);
            exchange.context().respond(HttpResponseStatus.BAD_GATEWAY, "connection refused");
            return CompletableFuture.completedFuture(ProxySpec.RESULT_SERVER_ERROR);
        }, results);
        call(unreachable);
        call(unreachable);

        assertThat(pool.status()).contains("circuit OPEN");
    }

    @Test
    void a5xxOutsideTheFailureCodesIsAnAnswerNotAFailure() {
        ProxyCall serverErrors = new CircuitCall(pool.circuit().orElseThrow(), answering(503), results);
        for (int i = 0; i < 4; i++) {
            call(serverErrors);
        }

        assertThat(pool.status()).contains("circuit CLOSED");
    }

    /** As Easegress v2: a pool that lists no failureCodes counts every 5xx against its circuit, and no 4xx. */
    @Test
    void withoutFailureCodesEvery5xxCounts() throws Exception {
        ServerPool plain = mainPool(proxy("""
                kind: Pipeline
                name: p
                resilience:
                  - {name: cb, kind: CircuitBreaker, slidingWindowType: COUNT_BASED, slidingWindowSize: 2, minimumNumberOfCalls: 2,
                     failureRateThreshold: 50, waitDurationInOpenState: 1m}
                flow:
                  - filter: proxy
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers: [{url: 'http://10.0.0.1:80'}]
                        circuitBreakerPolicy: cb
                """));
        for (int i = 0; i < 4; i++) {
            RequestContext context = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
            new CircuitCall(plain.circuit().orElseThrow(), answering(404), results).call(new ProxyExchange(context, plain))
                    .toCompletableFuture().join();
        }
        assertThat(plain.status()).contains("circuit CLOSED");

        for (int i = 0; i < 2; i++) {
            RequestContext context = request(channel, HttpMethod.GET, "/", BodyStream.EMPTY);
            new CircuitCall(plain.circuit().orElseThrow(), answering(503), results).call(new ProxyExchange(context, plain))
                    .toCompletableFuture().join();
        }
        assertThat(plain.status()).contains("circuit OPEN");
    }

    @Test
    void requestsThatReachedNoServerDoNotCountAgainstIt() {
        ProxyCall noServer = new CircuitCall(pool.circuit().orElseThrow(), answering(0), results);
        for (int i = 0; i < 10; i++) {
            call(noServer);
        }

        assertThat(calls).hasValue(10);
        assertThat(pool.status()).contains("circuit CLOSED").contains("over 0 calls");
    }

    @Test
    void successesKeepItClosed() {
        ProxyCall healthy = new CircuitCall(pool.circuit().orElseThrow(), answering(200), results);
        for (int i = 0; i < 10; i++) {
            assertThat(call(healthy).response().head().status().code()).isEqualTo(200);
        }

        assertThat(pool.status()).contains("circuit CLOSED").contains("over 2 calls");
    }
}
