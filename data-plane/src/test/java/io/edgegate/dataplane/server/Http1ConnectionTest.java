package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.server.EmbeddedHttp1.exchange;
import static io.edgegate.dataplane.server.EmbeddedHttp1.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One HTTP/1.1 connection as a client drives it, without a socket: pipelining, keep-alive and
 * close, requests refused before routing, and the header timeout against slow heads.
 */
class Http1ConnectionTest {

    private static final ServerState STATE = EmbeddedHttp1.twoMockedPaths();

    private final EmbeddedChannel channel = EmbeddedHttp1.connection(STATE, UnpooledByteBufAllocator.DEFAULT, 1_000);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnTheSameConnection() {
        String answers = exchange(channel, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answers.indexOf("first")).isPositive().isLessThan(answers.indexOf("second"));
        assertThat(answers.split("HTTP/1.1 200 ", -1)).hasSize(3);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionCloseAndHttp10CloseAfterTheAnswer() {
        assertThat(exchange(channel, "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ").endsWith("first");
        assertThat(channel.isOpen()).isFalse();

        EmbeddedChannel old = EmbeddedHttp1.connection(STATE, UnpooledByteBufAllocator.DEFAULT, 1_000);
        // Answered as HTTP/1.1, the server's version (RFC 9110 §6.2), and closed: HTTP/1.0 did not ask to keep it.
        assertThat(exchange(old, "GET /b HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ").contains("connection: close").endsWith("second");
        assertThat(old.isOpen()).isFalse();
        old.finishAndReleaseAll();
    }

    @Test
    void aRequestThatCouldBeSmuggledIsRefusedAndTheConnectionClosed() {
        String answer = exchange(channel,
                "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");

        // The codec already fails such a head; either way nothing after it on the connection is read.
        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("connection: close").doesNotContain("second");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBodyOverTheServersLimitIsRefusedWith413() {
        String answer = exchange(channel, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n12345678901234567");

        assertThat(answer).startsWith("HTTP/1.1 413 ");
    }

    /** As Easegress, a request no pipeline would serve gets its route's verdict, not 413, however large its body. */
    @Test
    void theRoutesVerdictComesBeforeTheBodysSize() {
        ServerState state = EmbeddedHttp1.state("""
                kind: HTTPServer
                name: s
                port: 8080
                clientMaxBodySize: 16
                rules:
                - paths:
                  - {path: /a, methods: [GET], backend: answer}
                  - {path: /ghost, backend: missing}
                """, """
                kind: HTTPPipeline
                name: answer
                filters:
                - name: mock
                  kind: Mock
                  rules:
                  - code: 200
                    body: first
                """);
        String big = " HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\nConnection: close\r\n\r\n12345678901234567";
        for (String[] request : new String[][] {{"POST /nowhere", "404"}, {"POST /a", "405"}, {"POST /ghost", "503"}, {"GET /a", "413"}}) {
            EmbeddedChannel fresh = EmbeddedHttp1.connection(state, UnpooledByteBufAllocator.DEFAULT, 1_000);
            assertThat(exchange(fresh, request[0] + big)).as(request[0]).startsWith("HTTP/1.1 " + request[1] + " ");
            fresh.finishAndReleaseAll();
        }
    }

    @Test
    void aHeadThatIsNotCompleteInTimeGets408AndTheConnectionCloses() {
        channel.freezeTime();
        assertThat(exchange(channel, "GET /a HTTP/1.1\r\nHo")).isEmpty();

        channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).isEmpty();
        channel.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written(channel)).startsWith("HTTP/1.1 408 Request Timeout\r\n").containsPattern("\r\nDate: \\w{3}, ").endsWith("headers too slow\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anIdleKeepAliveConnectionIsNotAHeadTooSlow() {
        channel.freezeTime();
        assertThat(exchange(channel, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("first");

        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written(channel)).isEmpty();
        assertThat(exchange(channel, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("second");
    }

    /** The clock armed by an earlier head of the connection neither cuts a later head short nor lets it run on. */
    @Test
    void aLaterHeadOnAKeepAliveConnectionHasItsOwnFullTimeout() {
        channel.freezeTime();
        assertThat(exchange(channel, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("first");
        channel.advanceTimeBy(900, TimeUnit.MILLISECONDS);
        assertThat(exchange(channel, "GET /b HTTP/1.1\r\nHo")).isEmpty();

        // 1 s after the first head began, 100 ms after the second did.
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).isEmpty();
        channel.advanceTimeBy(898, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).isEmpty();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(3, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written(channel)).startsWith("HTTP/1.1 408 Request Timeout\r\n");
        assertThat(channel.isOpen()).isFalse();
    }
}
