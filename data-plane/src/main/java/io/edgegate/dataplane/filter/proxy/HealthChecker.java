package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.HealthCheckSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a pool's servers every interval from one event loop and keeps each server in or out
 * of the rotation by its run of failed or passed probes. Servers start in the rotation.
 * Requests read the verdict from any event loop; the runs are kept on the probing loop only.
 */
final class HealthChecker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    private static final int MAX_BODY = 64 * 1024;

    private final HealthCheckSpec spec;
    private final List<Upstream> servers;
    private final Map<Upstream, Integer> index = new IdentityHashMap<>();
    private final UpstreamClient client;
    private final EventLoop loop;
    private final Pattern bodyPattern;
    /** Per {@code match.headers} entry: its pattern, or null for an exact match. */
    private final List<Pattern> headerPatterns;
    private final byte[] requestBody;
    private final String authorization;
    /** 1: out of the rotation. */
    private final AtomicIntegerArray down;
    private final int[] failsInRow;
    private final int[] passesInRow;
    private final boolean[] probing;
    private ScheduledFuture<?> schedule;

    HealthChecker(HealthCheckSpec spec, List<Upstream> servers, UpstreamClient client, EventLoop loop) {
        this.spec = spec;
        this.servers = servers;
        for (int i = 0; i < servers.size(); i++) {
            index.put(servers.get(i), i);
        }
        this.client = client;
        this.loop = loop;
        this.bodyPattern = spec.body().filter(HealthCheckSpec.BodyMatch::regexp).map(b -> Pattern.compile(b.value())).orElse(null);
        this.headerPatterns = spec.headerMatches().stream().map(m -> m.regexp() ? Pattern.compile(m.value()) : null).toList();
        this.requestBody = spec.requestBody().getBytes(StandardCharsets.UTF_8);
        this.authorization = spec.basicAuth().map(c -> "Basic " + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))).orElse(null);
        this.down = new AtomicIntegerArray(servers.size());
        this.failsInRow = new int[servers.size()];
        this.passesInRow = new int[servers.size()];
        this.probing = new boolean[servers.size()];
    }

    void start() {
        schedule = loop.scheduleAtFixedRate(this::probeAll, 0, spec.interval().toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean isUp(Upstream server) {
        Integer i = index.get(server);
        return i == null || down.get(i) == 0;
    }

    private void probeAll() {
        for (int i = 0; i < servers.size(); i++) {
            if (!probing[i]) {
                probing[i] = true;
                int server = i;
                CompletableFuture<Boolean> verdict;
                try {
                    verdict = probe(servers.get(i));
                } catch (RuntimeException e) {
                    // A probe that cannot even be sent fails; an exception here would end every later round.
                    log.warn("health check of {} could not be sent: {}", servers.get(i).url(), e.toString());
                    verdict = CompletableFuture.completedFuture(false);
                }
                verdict.whenComplete((ok, error) -> loop.execute(() -> record(server, error == null && ok)));
            }
        }
    }

    private CompletableFuture<Boolean> probe(Upstream server) {
        UpstreamAddress address = spec.port() > 0
                ? new UpstreamAddress(server.address().host(), spec.port(), server.address().tls()) : server.address();
        CompletableFuture<Boolean> verdict = spec.http() ? httpProbe(server, address) : client.probeConnect(loop, address);
        var timer = loop.schedule(() -> verdict.complete(false), spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        verdict.whenComplete((ok, error) -> timer.cancel(false));
        return verdict;
    }

    private CompletableFuture<Boolean> httpProbe(Upstream server, UpstreamAddress address) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(spec.method()), spec.uri().orElseThrow());
        head.headers().set(HttpHeaderNames.HOST, spec.port() > 0 ? hostPort(address) : server.authority())
                .set(HttpHeaderNames.USER_AGENT, "EdgeGate-HealthCheck")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, requestBody.length);
        if (authorization != null) {
            head.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        // The operator's headers last: a Host among them is the one sent.
        spec.headers().forEach(head.headers()::set);
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        BodyStream body = requestBody.length == 0 ? BodyStream.EMPTY : new FixedBody(Unpooled.wrappedBuffer(requestBody));
        var sent = client.send(loop, address, head, body);
        // A probe that times out fails its exchange, which closes the connection it was using.
        verdict.whenComplete((ok, error) -> sent.completeExceptionally(new IllegalStateException("health probe ended")));
        sent.whenComplete((response, error) -> {
            if (error != null) {
                verdict.complete(false);
                return;
            }
            boolean headOk = spec.statusPasses(response.head().status().code()) && headersMatch(response.head().headers());
            BodyCollector.collect(response.body(), io.netty.buffer.ByteBufAllocator.DEFAULT, MAX_BODY)
                    .whenComplete((ByteBuf received, Throwable failed) -> {
                        try {
                            verdict.complete(failed == null && headOk && bodyMatches(received));
                        } finally {
                            if (received != null) {
                                received.release();
                            }
                        }
                    });
        });
        return verdict;
    }

    private static String hostPort(UpstreamAddress address) {
        return (address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host()) + ":" + address.port();
    }

    /** Each expected header's first value (empty when absent, as Go's Header.Get) equals its value or holds its regexp. */
    private boolean headersMatch(HttpHeaders headers) {
        for (int i = 0; i < headerPatterns.size(); i++) {
            HealthCheckSpec.HeaderMatch expected = spec.headerMatches().get(i);
            String value = headers.get(expected.name());
            value = value == null ? "" : value;
            Pattern pattern = headerPatterns.get(i);
            if (pattern != null ? !pattern.matcher(value).find() : !value.equals(expected.value())) {
                return false;
            }
        }
        return true;
    }

    private boolean bodyMatches(ByteBuf body) {
        if (spec.body().isEmpty()) {
            return true;
        }
        String text = body.toString(StandardCharsets.UTF_8);
        return bodyPattern != null ? bodyPattern.matcher(text).find() : text.contains(spec.body().get().value());
    }

    private void record(int i, boolean passed) {
        probing[i] = false;
        if (passed) {
            failsInRow[i] = 0;
            passesInRow[i]++;
            if (down.get(i) == 1 && passesInRow[i] >= spec.passes()) {
                down.set(i, 0);
                log.info("health check: {} is back in the rotation", servers.get(i).url());
            }
        } else {
            passesInRow[i] = 0;
            failsInRow[i]++;
            if (down.get(i) == 0 && failsInRow[i] >= spec.fails()) {
                down.set(i, 1);
                log.warn("health check: {} failed {} checks in a row, out of the rotation", servers.get(i).url(), failsInRow[i]);
            }
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
