package io.edgegate.dataplane.upstream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.transport.Transport;
import io.edgegate.security.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream that goes silent does not hold a client for ever: no answer within the answer timeout
 * of the request, or nothing of a body the client waits for within the idle time, fails the exchange
 * (NGINX's proxy_read_timeout). A client that pauses reading is not the server's silence.
 */
class UpstreamTimeoutsTest {

    /** The idle time: also how long an answer may take to start. */
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration ANSWER = IDLE;

    private final Transport transport = Transport.detect();
    private final EventLoopGroup group = transport.newGroup(1, "timeouts-test");
    private final DnsAddressResolverGroup resolver =
            new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannel()));
    private final UpstreamClient client = new UpstreamClient(transport,
            new UpstreamSettings(Duration.ofSeconds(2), IDLE, 16), resolver, TlsProvider.JDK);
    private final EventLoop loop = group.next();

    @AfterEach
    void stop() throws Exception {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private CompletableFuture<UpstreamResponse> get(ScriptedServer server, boolean callerTimesAnswer) {
        return client.send(loop, new UpstreamAddress("127.0.0.1", server.port(), false),
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), BodyStream.EMPTY, 16, callerTimesAnswer);
    }

    @Test
    void aServerThatNeverAnswersFailsTheExchangeAfterTheAnswerTimeout() throws Exception {
        try (ScriptedServer silent = new ScriptedServer("")) {
            CompletableFuture<UpstreamResponse> sent = get(silent, false);

            assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(UpstreamTimeoutException.class).hasMessageContaining("no answer within");
            assertThat(silent.closedByPeer()).as("its connection is closed, not pooled").isTrue();
        }
    }

    @Test
    void aCallerWithADeadlineOfItsOwnIsNotCutShort() throws Exception {
        try (ScriptedServer silent = new ScriptedServer("")) {
            CompletableFuture<UpstreamResponse> sent = get(silent, true);

            // Three answer timeouts later, still waiting: the caller's deadline decides.
            assertThatThrownBy(() -> sent.get(3 * ANSWER.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            sent.cancel(false);
        }
    }

    @Test
    void aBodyThatStopsComingWhileTheClientWaitsFailsAfterTheIdleTime() throws Exception {
        try (ScriptedServer stalls = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")) {
            UpstreamResponse response = get(stalls, false).get(5, TimeUnit.SECONDS);
            assertThat(response.head().status().code()).isEqualTo(200);

            assertThatThrownBy(() -> BodyCollector.collectBytes(response.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(UpstreamTimeoutException.class)
                    .hasMessageContaining("nothing of its response body");
        }
    }

    @Test
    void aClientThatPausesLongerThanTheIdleTimeStillGetsTheWholeBody() throws Exception {
        // The first half is read ahead at once; the second comes a while after the client asks for it again.
        String half = "x".repeat(1000);
        long pause = 3 * IDLE.toMillis();
        try (ScriptedServer halves = new ScriptedServer(new Step(0, "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + half),
                new Step(pause + IDLE.toMillis() * 3 / 4, half))) {
            UpstreamResponse response = get(halves, false).get(5, TimeUnit.SECONDS);
            // The client takes nothing for three idle times: not the server's silence.
            Thread.sleep(pause);

            byte[] read = BodyCollector.collectBytes(response.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS);
            assertThat(read).as("the server is timed from when more was asked of it").hasSize(2000);
        }
    }

    @Test
    void interimAnswersKeepASlowServerAlivePastTheAnswerTimeout() throws Exception {
        long every = ANSWER.toMillis() / 2;
        try (ScriptedServer working = new ScriptedServer(new Step(every, "HTTP/1.1 102 Processing\r\n\r\n"),
                new Step(every, "HTTP/1.1 102 Processing\r\n\r\n"), new Step(every, "HTTP/1.1 102 Processing\r\n\r\n"),
                new Step(every, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone"))) {
            UpstreamResponse response = get(working, false).get(5, TimeUnit.SECONDS);

            assertThat(response.head().status().code()).as("answered after twice the answer timeout").isEqualTo(200);
            assertThat(BodyCollector.collectBytes(response.body(), ByteBufAllocator.DEFAULT, 1 << 20).get(5, TimeUnit.SECONDS))
                    .isEqualTo("done".getBytes(ISO_8859_1));
        }
    }

    /** What the server writes, {@code afterMillis} after the step before (or the request). */
    private record Step(long afterMillis, String text) {
    }

    /** Reads the request's head, then writes its steps in turn and keeps the connection open. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final CompletableFuture<Boolean> closedByPeer = new CompletableFuture<>();
        private final Step[] steps;

        ScriptedServer(String answer) throws IOException {
            this(new Step(0, answer));
        }

        ScriptedServer(Step... steps) throws IOException {
            this.steps = steps;
            Thread thread = new Thread(this::serve, "scripted-upstream");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        boolean closedByPeer() throws Exception {
            return closedByPeer.get(5, TimeUnit.SECONDS);
        }

        private void serve() {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // the request's head
                }
                for (Step step : steps) {
                    Thread.sleep(step.afterMillis());
                    socket.getOutputStream().write(step.text().getBytes(ISO_8859_1));
                    socket.getOutputStream().flush();
                }
                closedByPeer.complete(in.read() < 0);
            } catch (IOException | InterruptedException e) {
                closedByPeer.complete(true);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
