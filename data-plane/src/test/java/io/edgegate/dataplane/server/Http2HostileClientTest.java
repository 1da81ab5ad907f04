package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static io.edgegate.dataplane.server.RawHttp2Client.CANCEL;
import static io.edgegate.dataplane.server.RawHttp2Client.CONTINUATION;
import static io.edgegate.dataplane.server.RawHttp2Client.DATA;
import static io.edgegate.dataplane.server.RawHttp2Client.END_HEADERS;
import static io.edgegate.dataplane.server.RawHttp2Client.END_STREAM;
import static io.edgegate.dataplane.server.RawHttp2Client.ENHANCE_YOUR_CALM;
import static io.edgegate.dataplane.server.RawHttp2Client.GOAWAY;
import static io.edgegate.dataplane.server.RawHttp2Client.HEADERS;
import static io.edgegate.dataplane.server.RawHttp2Client.PING;
import static io.edgegate.dataplane.server.RawHttp2Client.REFUSED_STREAM;
import static io.edgegate.dataplane.server.RawHttp2Client.RST_STREAM;
import static io.edgegate.dataplane.server.RawHttp2Client.SETTINGS;
import static io.edgegate.dataplane.server.RawHttp2Client.SETTINGS_INITIAL_WINDOW_SIZE;
import static io.edgegate.dataplane.server.RawHttp2Client.SETTINGS_MAX_CONCURRENT_STREAMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 clients that attack the protocol rather than send bad requests, each written frame by
 * frame: rapid resets (CVE-2023-44487), CONTINUATION floods, an HPACK bomb, PING and SETTINGS
 * floods from a client that reads nothing, a window that never opens, and more streams than the
 * server allows. Each is cut off with
 * bounded work on the node, reaches the upstream no more than it should, and leaves the server
 * serving everyone else.
 */
class Http2HostileClientTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static EchoBackend upstream;
    private int port;

    @BeforeAll
    static void backend() {
        upstream = EchoBackend.start("guarded");
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void serve() throws Exception {
        port = FreePorts.pick();
        node.apply(server("s", port, "p").replace("xForwardedFor: true", "keepAliveTimeout: 1s"),
                proxyPipeline("p", "roundRobin", upstream.url()));
    }

    @AfterEach
    void othersAreStillServed() throws Exception {
        try (Http2TestClient client = new Http2TestClient(port)) {
            assertThat(client.request(new DefaultHttp2Headers().method("GET").scheme("http").path("/after").authority("a.example")))
                    .as("a well-behaved client after the attack").isEqualTo("status 200");
        }
    }

    @Test
    void rapidResetsEndTheConnection() throws Exception {
        int before = upstream.requestCount();
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            // Up to 100,000 streams opened and reset at once, 500 per write: a server without a limit serves them all.
            assertThatThrownBy(() -> {
                for (int stream = 1; stream < 200_000; ) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int i = 0; i < 500; i++, stream += 2) {
                        batch.writeBytes(RawHttp2Client.encode(HEADERS, END_HEADERS | END_STREAM, stream, RawHttp2Client.request("/reset")));
                        batch.writeBytes(RawHttp2Client.encode(RST_STREAM, 0, stream, RawHttp2Client.int32(CANCEL)));
                    }
                    client.write(batch.toByteArray());
                }
            }).as("the server closes the connection while the resets come").isInstanceOf(IOException.class);
            assertThat(client.closedByServerWithin(10)).isTrue();
            assertGoneAwayCalmly(client);
        }
        // The codec allows 200 resets per 30 s; the streams opened before the limit may each have gone upstream.
        assertThat(upstream.requestCount() - before).as("requests that reached the upstream").isLessThan(300);
    }

    @Test
    void resetsUnderTheLimitKeepTheConnection() throws Exception {
        // 150 of the 200 resets per 30 s the codec allows (each counted once, however its frame listener is decorated).
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int stream = 1; stream < 300; stream += 2) {
                batch.writeBytes(RawHttp2Client.encode(HEADERS, END_HEADERS | END_STREAM, stream, RawHttp2Client.request("/reset")));
                batch.writeBytes(RawHttp2Client.encode(RST_STREAM, 0, stream, RawHttp2Client.int32(CANCEL)));
            }
            client.write(batch.toByteArray());
            client.frame(HEADERS, END_HEADERS | END_STREAM, 301, RawHttp2Client.request("/after-the-resets"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(HEADERS, 301).isEmpty());
            assertThat(client.received(GOAWAY, 0)).as("GOAWAY frames").isEmpty();
        }
    }

    @Test
    void aHeaderBlockContinuedWithoutEndIsCutOff() throws Exception {
        int before = upstream.requestCount();
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            client.awaitSettingsAcknowledged();
            client.frame(HEADERS, END_STREAM, 1, RawHttp2Client.request("/flood"));
            // 1 KB header fields without end: 64 MB of them unless the server stops reading them.
            byte[] continued = RawHttp2Client.repeated(RawHttp2Client.encode(CONTINUATION, 0, 1,
                    RawHttp2Client.literal("x-flood", "v".repeat(1_000))), 64);
            assertThatThrownBy(() -> client.flood(continued, 1_000))
                    .as("the server closes the connection while the block grows").isInstanceOf(IOException.class);
            assertThat(client.closedByServerWithin(10)).isTrue();
            assertThat(client.received(HEADERS, 1)).as("an answer to the endless request").isEmpty();
        }
        assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);
    }

    @Test
    void emptyContinuationFramesWithoutEndAreCutOff() throws Exception {
        int before = upstream.requestCount();
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            client.awaitSettingsAcknowledged();
            client.frame(HEADERS, END_STREAM, 1, RawHttp2Client.request("/flood"));
            // Frames that add nothing to the block cost the server a frame each: 10 million of them unless it stops.
            byte[] empty = RawHttp2Client.repeated(RawHttp2Client.encode(CONTINUATION, 0, 1, new byte[0]), 1_000);
            assertThatThrownBy(() -> client.flood(empty, 10_000))
                    .as("the server closes the connection while they come").isInstanceOf(IOException.class);
            assertThat(client.closedByServerWithin(10)).isTrue();
            assertGoneAwayCalmly(client);
        }
        assertThat(upstream.requestCount()).as("requests that reached the upstream").isEqualTo(before);
    }

    /** A GOAWAY, when it arrived before the server's reset of the connection, says why: the peer must calm down. */
    private static void assertGoneAwayCalmly(RawHttp2Client client) {
        assertThat(client.received(GOAWAY, 0)).allSatisfy(goAway -> assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM));
    }

    @Test
    void aSmallHeaderBlockThatDecodesToMegabytesIsRefused() throws Exception {
        int before = upstream.requestCount();
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            // 4 KB into the server's HPACK table with a request that is served...
            client.frame(HEADERS, END_HEADERS | END_STREAM, 1,
                    RawHttp2Client.request("/seed", RawHttp2Client.indexedLiteral("x-bomb", "b".repeat(4_000))));
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(HEADERS, 1).isEmpty());
            // ...then a 4 KB block naming that entry (dynamic index 62, one byte each) 4,000 times: 16 MB of headers.
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            for (int i = 0; i < 4_000; i++) {
                RawHttp2Client.integer(bomb, 0x80, 7, 62);
            }
            client.frame(HEADERS, END_HEADERS | END_STREAM, 3, RawHttp2Client.request("/bomb", bomb.toByteArray()));
            // Refused by a 431 answer, a reset of the stream, or the connection going away: never forwarded.
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(HEADERS, 3).isEmpty()
                    || !client.received(RST_STREAM, 3).isEmpty() || client.closedByServerWithin(0));
        }
        assertThat(upstream.requestCount() - before).as("requests that reached the upstream: the seed only").isEqualTo(1);
    }

    @Test
    void pingsFromAClientThatReadsNothingEndTheConnection() throws Exception {
        assertFloodFromANonReaderIsCutOff(PING, 0, new byte[8]);
    }

    @Test
    void settingsFromAClientThatReadsNothingEndTheConnection() throws Exception {
        assertFloodFromANonReaderIsCutOff(SETTINGS, 0, new byte[0]);
    }

    /** Each such frame makes the server queue an acknowledgement that the client never reads. */
    private void assertFloodFromANonReaderIsCutOff(int type, int flags, byte[] payload) throws Exception {
        try (RawHttp2Client client = new RawHttp2Client(port, false)) {
            // A million of them: without a queue limit the server would hold every acknowledgement it cannot write.
            byte[] frames = RawHttp2Client.repeated(RawHttp2Client.encode(type, flags, 0, payload), 1_000);
            assertThatThrownBy(() -> client.flood(frames, 1_000)).as("the server closes the connection").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aStreamWhoseWindowNeverOpensIsResetAfterTheIdleTime() throws Exception {
        try (RawHttp2Client client = new RawHttp2Client(port, true, SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            client.frame(HEADERS, END_HEADERS | END_STREAM, 1, RawHttp2Client.request("/never-read"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(HEADERS, 1).isEmpty());
            // The answer waits for a window that stays shut for keepAliveTimeout (1 s): reset.
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(RST_STREAM, 1).isEmpty());
            assertThat(client.received(RST_STREAM, 1).get(0).errorCode()).isEqualTo(CANCEL);
            assertThat(client.received(DATA, 1)).as("data sent past a zero window").isEmpty();
            // The connection, without streams, is then closed as any idle one.
            assertThat(client.closedByServerWithin(5)).as("the idle connection is closed").isTrue();
        }
    }

    @Test
    void aStreamWhoseWindowNeverOpensIsResetEvenWhileTheClientPings() throws Exception {
        try (RawHttp2Client client = new RawHttp2Client(port, true, SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            client.frame(HEADERS, END_HEADERS | END_STREAM, 1, RawHttp2Client.request("/never-read"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(HEADERS, 1).isEmpty());
            // A PING every 100 ms keeps the connection busy, but the window stays shut: reset all the same.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                client.frame(PING, 0, 0, new byte[8]);
                return !client.received(RST_STREAM, 1).isEmpty();
            });
            assertThat(client.received(RST_STREAM, 1).get(0).errorCode()).isEqualTo(CANCEL);
            assertThat(client.received(DATA, 1)).as("data sent past a zero window").isEmpty();
        }
    }

    @Test
    void streamsBeyondTheAdvertisedLimitAreRefused() throws Exception {
        int limit = ConnectionSetup.MAX_CONCURRENT_STREAMS;
        try (RawHttp2Client client = new RawHttp2Client(port, true)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.received(SETTINGS, 0).isEmpty());
            assertThat(RawHttp2Client.setting(client.received(SETTINGS, 0).get(0), SETTINGS_MAX_CONCURRENT_STREAMS))
                    .as("the limit the server advertises").hasValue(limit);
            // Requests whose bodies never come keep their streams open: one more than the limit.
            ByteArrayOutputStream opened = new ByteArrayOutputStream();
            for (int i = 0; i <= limit; i++) {
                opened.writeBytes(RawHttp2Client.encode(HEADERS, END_HEADERS, 2 * i + 1, RawHttp2Client.request("/open-" + i)));
            }
            client.write(opened.toByteArray());
            int beyond = 2 * limit + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.received(RST_STREAM, beyond).isEmpty());
            assertThat(client.received(RST_STREAM, beyond).get(0).errorCode()).isEqualTo(REFUSED_STREAM);
            assertThat(client.received(RST_STREAM, 1)).as("a stream within the limit").isEmpty();
            assertThat(client.received(GOAWAY, 0)).as("the connection serves on").isEmpty();
        }
    }
}
