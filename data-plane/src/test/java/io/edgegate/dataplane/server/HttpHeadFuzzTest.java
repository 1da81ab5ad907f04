package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import java.util.List;

/**
 * Any bytes a client sends on an HTTP/1.1 connection — one request or many, split anywhere —
 * go through the real head path (codec, checks, admission, routing, a pipeline that answers)
 * on an {@link EmbeddedChannel}: never an exception that escapes the handlers, and every
 * buffer released once the connection is done.
 */
class HttpHeadFuzzTest {

    private static final ServerState STATE = state();

    private static ServerState state() {
        return EmbeddedHttp1.state("""
                    kind: HTTPServer
                    name: fuzz
                    port: 8080
                    clientMaxBodySize: 1024
                    rules:
                    - host: api.example
                      paths:
                      - pathRegexp: '^/v(?P<version>[0-9]+)/(.*)$'
                        rewriteTarget: /$2
                        methods: [GET, POST]
                        backend: answer
                    - hosts: [{value: '^(www\\.)?site\\.[a-z]+$', isRegexp: true}]
                      paths:
                      - pathPrefix: /static
                        headers: [{key: X-Tenant, values: [a, b]}]
                        backend: answer
                    - paths:
                      - path: /exact
                        backend: answer
                      - pathPrefix: /
                        queries: [{key: q, regexp: '^[a-z]+$'}]
                        backend: answer
                      - pathPrefix: /
                        backend: missing-pipeline
                    """, """
                    kind: HTTPPipeline
                    name: answer
                    filters:
                    - name: mock
                      kind: Mock
                      rules:
                      - code: 200
                        body: fuzzed
                    """);
    }

    private static EmbeddedChannel connection(TrackingAllocator allocator) {
        return EmbeddedHttp1.connection(STATE, allocator, 10_000);
    }

    @Test
    void theHarnessServesARequestThroughThePipeline() {
        EmbeddedChannel channel = connection(new TrackingAllocator());
        channel.writeInbound(Unpooled.copiedBuffer("GET /exact HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        StringBuilder answer = new StringBuilder();
        Object out;
        while ((out = channel.readOutbound()) != null) {
            answer.append(((io.netty.buffer.ByteBuf) out).toString(StandardCharsets.US_ASCII));
            ReferenceCountUtil.release(out);
        }
        assertThat(answer.toString()).startsWith("HTTP/1.1 200").endsWith("fuzzed");
        channel.finishAndReleaseAll();
    }

    /** Input: the bytes of the connection, then (taken from the end) into how many reads they are split. */
    @FuzzTest(maxDuration = "10m")
    void anyBytesAreAnsweredOrRefusedAndEveryBufferIsReleased(FuzzedDataProvider data) {
        int pieces = data.consumeInt(1, 4);
        List<byte[]> reads = new java.util.ArrayList<>();
        for (int i = 0; i < pieces; i++) {
            reads.add(i == pieces - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 512)));
        }
        serve(reads);
    }

    /** Serves the connection that reads {@code reads}, one after the other; fails on an escaped exception or a leaked buffer. */
    static void serve(List<byte[]> reads) {
        TrackingAllocator allocator = new TrackingAllocator();
        EmbeddedChannel channel = connection(allocator);
        for (byte[] bytes : reads) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.runPendingTasks();
            drain(channel);
        }
        channel.checkException();
        channel.close();
        channel.runPendingTasks();
        drain(channel);
        channel.finishAndReleaseAll();
        List<io.netty.buffer.ByteBuf> leaked = allocator.unreleased();
        if (!leaked.isEmpty()) {
            AssertionError error = new AssertionError(leaked.size() + " buffers were never released, e.g. "
                    + leaked.get(0).getClass().getSimpleName() + " of " + leaked.get(0).writerIndex() + " bytes: "
                    + leaked.get(0).toString(0, leaked.get(0).writerIndex(), StandardCharsets.ISO_8859_1));
            error.initCause(allocator.allocatedAt(leaked.get(0)));
            throw error;
        }
    }

    private static void drain(EmbeddedChannel channel) {
        EmbeddedHttp1.drain(channel);
    }
}
