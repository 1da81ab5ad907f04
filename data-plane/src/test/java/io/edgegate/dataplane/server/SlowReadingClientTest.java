package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.StreamingBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that asks for a large download and then reads nothing (HTTP/1.1, a file sent with
 * sendfile, or HTTP/2 with its windows wide open) holds the exchange, its upstream connection and
 * buffers until the server gives up on it: after the idle time (keepAliveTimeout, 1 s here)
 * without the response moving, whatever the client sends meanwhile (as NGINX's send_timeout). A
 * client that reads slowly, or opens its HTTP/2 windows a little at a time, keeps its download.
 * (HTTP/2's zero window: Http2HostileClientTest.)
 */
class SlowReadingClientTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static StreamingBackend upstream;
    @TempDir
    static Path files;
    private int port;

    @BeforeAll
    static void backend() {
        upstream = StreamingBackend.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void serve() throws Exception {
        port = FreePorts.pick();
        node.apply(server("slow", port, "downloads").replace("xForwardedFor: true", "keepAliveTimeout: 1s"),
                proxyPipeline("downloads", "roundRobin", upstream.url()));
    }

    @Test
    void aClientThatReadsNothingOfItsDownloadIsClosedAfterTheIdleTime() throws Exception {
        long size = 256L << 20;
        try (Socket client = downloadNobodyReads("/bytes/" + size)) {
            // Reads nothing: the node closes the connection after an idle time or two.
            await().atMost(Duration.ofSeconds(10)).until(() -> activeConnections() == 0);
            assertThat(readAll(client.getInputStream(), 0)).as("bytes the client could still read").isLessThan(size);
        }
    }

    @Test
    void aClientThatReadsSlowlyGetsAllOfItsDownload() throws Exception {
        long size = 48L << 20;
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write(("GET /bytes/" + size + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // About 12 MB/s, so the download spans several idle times with the node's buffers full; once it is
            // whole, the connection closes as any idle keep-alive connection does.
            long read = readAll(client.getInputStream(), 5);
            assertThat(read).as("bytes read: the head and the whole body").isGreaterThan(size);
        }
    }

    @Test
    void anHttp2ClientThatReadsNothingIsClosedAfterTheIdleTime() throws Exception {
        try (RawHttp2Client client = http2DownloadNobodyReads()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> activeConnections() == 0);
        }
    }

    @Test
    void aClientThatSlowlyReadsALargeAnswerWrittenInOneGoGetsAllOfIt() throws Exception {
        // A Mock answer of 16 MB goes into the channel as one message: the channel stays unwritable until the client
        // has read nearly all of it, seconds at this pace, several idle times (1 s). The client keeps taking part of
        // it, which the send timeout sees: it keeps its answer.
        int size = 16 << 20;
        node.applyObjects(List.of(
                object("HTTPServer", "slow", """
                        {"kind":"HTTPServer","name":"slow","port":%d,"keepAliveTimeout":"1s",
                         "rules":[{"paths":[{"pathPrefix":"/","backend":"large"}]}]}""".formatted(port)),
                object("Pipeline", "large", """
                        {"kind":"Pipeline","name":"large","flow":[{"filter":"mock"}],
                         "filters":[{"name":"mock","kind":"Mock","rules":[{"code":200,"body":"%s"}]}]}""".formatted("x".repeat(size)))));
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /large HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            // About 3 MB/s: the kernel's socket buffers (~4 MB) wake the writer each time a third of them is read.
            assertThat(readAll(client.getInputStream(), 20)).as("bytes read: the head and the whole answer").isGreaterThan(size);
        }
    }

    private static StoredObject object(String kind, String name, String json) {
        return StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind(kind).setName(name)).setJson(json).build();
    }

    @Test
    void aClientThatReadsNothingOfAFileSentWithSendfileIsClosedAfterTheIdleTime() throws Exception {
        serveFile(256L << 20);
        try (Socket client = downloadNobodyReads("/large.bin")) {
            // The file goes from the page cache to the socket, past the channel's buffer: the socket alone holds it back.
            await().atMost(Duration.ofSeconds(10)).until(() -> activeConnections() == 0);
        }
    }

    @Test
    void aClientThatReadsAFileSentWithSendfileSlowlyGetsAllOfIt() throws Exception {
        long size = 48L << 20;
        serveFile(size);
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(client.getInputStream(), 5)).as("bytes read: the head and the whole file").isGreaterThan(size);
        }
    }

    /** Serves a file of {@code size} zero bytes (sparse: no disk) at /large.bin. */
    private void serveFile(long size) throws Exception {
        Path root = Files.createDirectories(files.resolve("www"));
        try (RandomAccessFile file = new RandomAccessFile(root.resolve("large.bin").toFile(), "rw")) {
            file.setLength(size);
        }
        node.apply(server("slow", port, "files").replace("xForwardedFor: true", "keepAliveTimeout: 1s"), """
                name: files
                kind: HTTPPipeline
                flow:
                - filter: files
                filters:
                - name: files
                  kind: StaticFile
                  root: %s
                """.formatted(root));
    }

    @Test
    void aClientThatReadsNothingButKeepsSendingIsClosedAfterTheIdleTime() throws Exception {
        try (Socket client = downloadNobodyReads("/bytes/" + (256L << 20))) {
            OutputStream out = client.getOutputStream();
            // A pipelined request head, a byte every 100 ms: the connection never goes quiet, but the response
            // still moves not at all.
            out.write("GET /next HTTP/1.1\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !sent(out, 'a') || activeConnections() == 0);
            await().atMost(Duration.ofSeconds(2)).until(() -> activeConnections() == 0);
        }
    }

    @Test
    void anHttp2ClientThatReadsNothingButPingsIsClosedAfterTheIdleTime() throws Exception {
        try (RawHttp2Client client = http2DownloadNobodyReads()) {
            // A PING every 100 ms: frames keep coming, but the client takes none of what it is sent.
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !pinged(client) || activeConnections() == 0);
            await().atMost(Duration.ofSeconds(2)).until(() -> activeConnections() == 0);
        }
    }

    @Test
    void anHttp2ClientThatOpensItsStreamWindowSlowlyGetsAllOfItsDownload() throws Exception {
        int step = 16_384;
        try (RawHttp2Client client = new RawHttp2Client(port, true, RawHttp2Client.SETTINGS_INITIAL_WINDOW_SIZE, step)) {
            downloadOpeningWindowsSlowly(client, step, 1, 0);
        }
    }

    @Test
    void anHttp2ClientThatOpensItsConnectionWindowSlowlyGetsAllOfItsDownload() throws Exception {
        // The stream's window is wide; the connection's (64 KB at first) is what holds the response.
        try (RawHttp2Client client = new RawHttp2Client(port, true, RawHttp2Client.SETTINGS_INITIAL_WINDOW_SIZE, 16 << 20)) {
            downloadOpeningWindowsSlowly(client, 65_535, 0);
        }
    }

    /**
     * Downloads 256 KB, giving the windows of {@code streams} (0: the connection) 16 KB more each
     * time the response has used up what it had, 250 ms later: the response waits for a window
     * most of the time, over four idle times (1 s), but it moves.
     */
    private static void downloadOpeningWindowsSlowly(RawHttp2Client client, int initial, int... streams) throws Exception {
        int step = 16_384;
        int size = 256 * 1024;
        client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS | RawHttp2Client.END_STREAM, 1,
                RawHttp2Client.request("/bytes/" + size));
        for (int given = initial; given < size; given += step) {
            int expected = given;
            await().atMost(Duration.ofSeconds(5)).until(() -> dataBytes(client) == expected);
            Thread.sleep(250);
            for (int stream : streams) {
                client.frame(RawHttp2Client.WINDOW_UPDATE, 0, stream, RawHttp2Client.int32(step));
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> dataBytes(client) == size);
        assertThat(client.received(RawHttp2Client.RST_STREAM, 1)).as("resets of the slow stream").isEmpty();
    }

    @Test
    void anHttp2ClientThatPausesLessThanTheIdleTimeKeepsItsStream() throws Exception {
        node.apply(server("slow", port, "downloads").replace("xForwardedFor: true", "keepAliveTimeout: 2s"),
                proxyPipeline("downloads", "roundRobin", upstream.url()));
        int window = 16_384;
        int size = 65_536;
        try (RawHttp2Client client = new RawHttp2Client(port, true, RawHttp2Client.SETTINGS_INITIAL_WINDOW_SIZE, window)) {
            client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS | RawHttp2Client.END_STREAM, 1,
                    RawHttp2Client.request("/bytes/" + size));
            await().atMost(Duration.ofSeconds(5)).until(() -> dataBytes(client) == window);
            // The window is used up and the client says nothing for 1.4 s of the 2 s it may.
            Thread.sleep(1_400);
            client.frame(RawHttp2Client.WINDOW_UPDATE, 0, 1, RawHttp2Client.int32(size));
            client.frame(RawHttp2Client.WINDOW_UPDATE, 0, 0, RawHttp2Client.int32(size));
            await().atMost(Duration.ofSeconds(5)).until(() -> dataBytes(client) == size);
            assertThat(client.received(RawHttp2Client.RST_STREAM, 1)).as("resets of the paused stream").isEmpty();
        }
    }

    /** A client that asks for {@code path} over HTTP/1.1 and reads nothing, once the node serves it. */
    private Socket downloadNobodyReads(String path) throws IOException {
        Socket client = new Socket();
        // A small window, so the node's buffers fill within a few megabytes.
        client.setReceiveBufferSize(4096);
        client.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        client.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(5)).until(() -> activeConnections() == 1);
        return client;
    }

    /** A client that asks for 256 MB over HTTP/2 and reads nothing; its windows wide open, only the socket holds the download back. */
    private RawHttp2Client http2DownloadNobodyReads() throws IOException {
        RawHttp2Client client = new RawHttp2Client(port, false, RawHttp2Client.SETTINGS_INITIAL_WINDOW_SIZE, Integer.MAX_VALUE);
        client.frame(RawHttp2Client.WINDOW_UPDATE, 0, 0, RawHttp2Client.int32(Integer.MAX_VALUE - 65_535));
        client.frame(RawHttp2Client.HEADERS, RawHttp2Client.END_HEADERS | RawHttp2Client.END_STREAM, 1,
                RawHttp2Client.request("/bytes/" + (256L << 20)));
        await().atMost(Duration.ofSeconds(5)).until(() -> activeConnections() == 1);
        return client;
    }

    /** Sends one byte; false once the server has closed the connection. */
    private static boolean sent(OutputStream out, char c) {
        try {
            out.write(c);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static boolean pinged(RawHttp2Client client) {
        try {
            client.frame(RawHttp2Client.PING, 0, 0, new byte[8]);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static long dataBytes(RawHttp2Client client) {
        return client.received(RawHttp2Client.DATA, 1).stream().mapToLong(frame -> frame.payload().length).sum();
    }

    /** Reads until the server closes the connection, pausing {@code pauseMillis} after each 64 KB (a slow reader): the bytes read. */
    private static long readAll(InputStream in, long pauseMillis) throws IOException, InterruptedException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        long sincePause = 0;
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                sincePause += n;
                if (pauseMillis > 0 && sincePause >= buffer.length) {
                    sincePause = 0;
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (java.net.SocketException reset) {
            // The server reset the connection with bytes still unread: what was read counts.
        }
        return total;
    }

    private double activeConnections() {
        return node.serverMetric("edgegate_http_connections_active", "slow");
    }
}
