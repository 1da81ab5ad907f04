package io.edgegate.dataplane.filter.proxy;

import com.google.re2j.Pattern;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.upstream.UpstreamAddress;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.proxy.HealthCheckSpec;
import io.edgegate.spec.server.Regexps;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
    /** The same for the WebSocket probe's {@code match.headers}. */
    private final List<Pattern> webSocketHeaderPatterns;
    private final byte[] requestBody;
    private final String authorization;
    /** 1: out of the rotation. */
    private final AtomicIntegerArray down;
    private final int[] failsInRow;
    private final int[] passesInRow;
    private final boolean[] probing;
    private ScheduledFuture<?> schedule;

    /** {@code startDown}: URLs of servers an earlier checker of the pool had out of the rotation; they start out. */
    HealthChecker(HealthCheckSpec spec, List<Upstream> servers, UpstreamClient client, EventLoop loop, Set<String> startDown) {
        this.spec = spec;
        this.servers = servers;
        for (int i = 0; i < servers.size(); i++) {
            index.put(servers.get(i), i);
        }
        this.client = client;
        this.loop = loop;
        this.bodyPattern = spec.body().filter(HealthCheckSpec.BodyMatch::regexp).map(b -> Regexps.compile(b.value())).orElse(null);
        this.headerPatterns = patterns(spec.headerMatches());
        this.webSocketHeaderPatterns = spec.webSocket().map(ws -> patterns(ws.headerMatches())).orElse(List.of());
        this.requestBody = spec.requestBody().getBytes(StandardCharsets.UTF_8);
        this.authorization = spec.basicAuth().map(c -> "Basic " + Base64.getEncoder()
                .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8))).orElse(null);
        this.down = new AtomicIntegerArray(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            if (startDown.contains(servers.get(i).url())) {
                // A registry change rebuilds the checker: a dead server must not get traffic until it passes again.
                down.set(i, 1);
            }
        }
        this.failsInRow = new int[servers.size()];
        this.passesInRow = new int[servers.size()];
        this.probing = new boolean[servers.size()];
    }

    private static List<Pattern> patterns(List<HealthCheckSpec.HeaderMatch> matches) {
        return matches.stream().map(m -> m.regexp() ? Regexps.compile(m.value()) : null).toList();
    }

    void start() {
        schedule = loop.scheduleAtFixedRate(this::probeAll, 0, spec.interval().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The URLs of the servers out of the rotation now. */
    Set<String> downUrls() {
        Set<String> urls = new java.util.HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            if (down.get(i) == 1) {
                urls.add(servers.get(i).url());
            }
        }
        return urls;
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
        CompletableFuture<Boolean> verdict;
        if (spec.webSocket().isEmpty()) {
            verdict = httpProbe(server, address);
        } else {
            // Easegress's WebSocket check: its HTTP probe first when it has one, then the handshake.
            CompletableFuture<Boolean> both = new CompletableFuture<>();
            CompletableFuture<Boolean> first = spec.http() ? httpProbe(server, address) : CompletableFuture.completedFuture(true);
            first.thenCompose(ok -> ok && !both.isDone() ? webSocketProbe(server, spec.webSocket().get(), both)
                    : CompletableFuture.completedFuture(false))
                    .whenComplete((ok, error) -> both.complete(error == null && ok));
            verdict = both;
        }
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
            if (spec.body().isEmpty()) {
                // As Easegress, the body is read only to be matched: a large page or a stream passes on its status.
                response.body().discard();
                verdict.complete(headOk);
                return;
            }
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

    /** A WebSocket handshake that passes on the expected status (101) and headers; the connection is closed at once. */
    private CompletableFuture<Boolean> webSocketProbe(Upstream server, HealthCheckSpec.WebSocketProbe ws, CompletableFuture<Boolean> ended) {
        UpstreamAddress address = ws.port() > 0
                ? new UpstreamAddress(server.address().host(), ws.port(), server.address().tls()) : server.address();
        byte[] key = new byte[16];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(key);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, ws.uri());
        head.headers().set(HttpHeaderNames.HOST, ws.port() > 0 ? hostPort(address) : server.authority())
                .set(HttpHeaderNames.USER_AGENT, "EdgeGate-HealthCheck")
                .set(HttpHeaderNames.UPGRADE, "websocket")
                .set(HttpHeaderNames.CONNECTION, "Upgrade")
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
                .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, Base64.getEncoder().encodeToString(key));
        ws.headers().forEach(head.headers()::set);
        var sent = client.send(loop, address, head, BodyStream.EMPTY);
        // A probe that times out ends its exchange, which closes the connection it was using.
        ended.whenComplete((ok, error) -> sent.completeExceptionally(new IllegalStateException("health probe ended")));
        return sent.handle((response, error) -> {
            if (error != null) {
                return false;
            }
            if (response.upgraded() != null) {
                response.upgraded().close();
            }
            response.body().discard();
            return ws.statusPasses(response.head().status().code())
                    && headersMatch(ws.headerMatches(), webSocketHeaderPatterns, response.head().headers());
        });
    }

    private static String hostPort(UpstreamAddress address) {
        return (address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host()) + ":" + address.port();
    }

    private boolean headersMatch(HttpHeaders headers) {
        return headersMatch(spec.headerMatches(), headerPatterns, headers);
    }

    /** Each expected header's first value (empty when absent, as Go's Header.Get) equals its value or holds its regexp. */
    private static boolean headersMatch(List<HealthCheckSpec.HeaderMatch> matches, List<Pattern> patterns, HttpHeaders headers) {
        for (int i = 0; i < patterns.size(); i++) {
            HealthCheckSpec.HeaderMatch expected = matches.get(i);
            String value = headers.get(expected.name());
            value = value == null ? "" : value;
            Pattern pattern = patterns.get(i);
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
