package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 streams served without a socket: a client connection handler on one EmbeddedChannel, the
 * server's HTTP/2 handlers on another, the bytes carried between them by the test.
 */
class Http2StreamTest {

    private static final ServerState STATE = EmbeddedHttp1.twoMockedPaths();

    private final EmbeddedChannel server = new EmbeddedHttp1.ClientChannel();
    /** Per stream id: the status the server answered and the body so far. */
    private final Map<Integer, String> answers = new HashMap<>();
    private final Map<Integer, String> dates = new HashMap<>();
    /** The clock of the answers' Date: 1994-11-06 08:49:37.5 UTC. */
    private static final long NOW = 784_111_777_500L;
    private final Http2ConnectionHandler clientHandler = new Http2ConnectionHandlerBuilder().server(false)
            .frameListener(new Http2FrameAdapter() {
                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                          boolean endOfStream) {
                    if (headers.status() != null) {
                        answers.merge(streamId, headers.status() + " ", String::concat);
                        if (headers.get("date") != null) {
                            dates.put(streamId, headers.get("date").toString());
                        }
                    }
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                          short weight, boolean exclusive, int padding, boolean endOfStream) {
                    onHeadersRead(ctx, streamId, headers, padding, endOfStream);
                }

                @Override
                public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                    answers.merge(streamId, data.toString(StandardCharsets.UTF_8), String::concat);
                    return data.readableBytes() + padding;
                }
            }).build();
    private final EmbeddedChannel client = new EmbeddedChannel(clientHandler);
    private int nextStreamId = 1;

    Http2StreamTest() {
        new ConnectionSetup(() -> STATE, new HeaderTimeout(10_000), "http", new io.edgegate.dataplane.http.ResponseDate(() -> NOW)).http2(server.pipeline());
        carry();
    }

    @AfterEach
    void close() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    /** Moves bytes both ways until neither side has anything more to say; collects what streams answered. */
    private void carry() {
        boolean moved = true;
        while (moved) {
            moved = false;
            server.runPendingTasks();
            Object out;
            while ((out = client.readOutbound()) != null) {
                server.writeInbound(out);
                moved = true;
            }
            server.runPendingTasks();
            while ((out = server.readOutbound()) != null) {
                client.writeInbound(out);
                moved = true;
            }
        }
    }

    /** Opens a stream with a request on it; returns the stream's id. */
    private int request(String method, String path, String host, String body) {
        int id = nextStreamId;
        nextStreamId += 2;
        Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority(host);
        if (body != null) {
            headers.setInt("content-length", body.length());
        }
        ChannelHandlerContext ctx = client.pipeline().context(clientHandler);
        clientHandler.encoder().writeHeaders(ctx, id, headers, 0, body == null, ctx.newPromise());
        if (body != null) {
            clientHandler.encoder().writeData(ctx, id, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), 0, true, ctx.newPromise());
        }
        ctx.flush();
        return id;
    }

    @Test
    void concurrentStreamsAreEachAnsweredWithTheirOwnResponse() {
        int a = request("GET", "/a", "shop.example", null);
        int b = request("GET", "/b", "shop.example", null);

        carry();

        assertThat(answers.get(a)).isEqualTo("200 first");
        assertThat(answers.get(b)).isEqualTo("200 second");
        assertThat(server.isOpen()).isTrue();
    }

    /** RFC 9110 §6.6.1: answers made here carry the time they were made, refusals too. */
    @Test
    void answersAndRefusalsCarryADate() {
        int answered = request("GET", "/a", "shop.example", null);
        int refused = request("GET", "/a", "bad host", null);

        carry();

        assertThat(answers.get(answered)).isEqualTo("200 first");
        assertThat(answers.get(refused)).startsWith("400 ");
        assertThat(dates).containsEntry(answered, "Sun, 06 Nov 1994 08:49:37 GMT")
                .containsEntry(refused, "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void aStreamWithAnInvalidHostIsRefusedAndTheOthersGoOn() {
        int bad = request("GET", "/a", "bad host", null);
        int good = request("GET", "/b", "shop.example", null);

        carry();

        assertThat(answers.get(bad)).startsWith("400 ").contains("Host");
        assertThat(answers.get(good)).isEqualTo("200 second");
    }

    /** The header limit counts the client's headers, as over HTTP/1.1: Host and 99 more pass, not the conversion's own marks. */
    @Test
    void aRequestOfAHundredHeadersPassesAsOverHttp1() {
        int id = nextStreamId;
        nextStreamId += 2;
        Http2Headers headers = new DefaultHttp2Headers().method("GET").path("/a").scheme("http").authority("shop.example");
        for (int i = 0; i < 99; i++) {
            headers.add("x-h" + i, "v");
        }
        ChannelHandlerContext ctx = client.pipeline().context(clientHandler);
        clientHandler.encoder().writeHeaders(ctx, id, headers, 0, true, ctx.newPromise());
        ctx.flush();

        carry();

        assertThat(answers.get(id)).isEqualTo("200 first");
    }

    /** A HEAD refused on its head gets the refusal's status and no content (RFC 9110 §9.3.2), as over HTTP/1.1. */
    @Test
    void aHeadRefusedOnItsHeadIsAnsweredWithoutContent() {
        int head = request("HEAD", "/a", "bad host", null);

        carry();

        assertThat(answers.get(head)).isEqualTo("400 ");
    }

    @Test
    void aBodyAnnouncedOverTheServersLimitIsRefusedWith413() {
        int big = request("POST", "/a", "shop.example", "12345678901234567");

        carry();

        assertThat(answers.get(big)).startsWith("413 ");
    }
}
