package io.edgegate.dataplane.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Easegress's {@code otlp} exporter with {@code protocol: grpc}, against a collector's TraceService in the test's JVM. */
class OtlpGrpcTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void spansArriveAtTheCollectorsGrpcPort() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        ServerServiceDefinition traceService = ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
                .addMethod(OtlpGrpcExporter.EXPORT, ServerCalls.asyncUnaryCall((request, answer) -> {
                    try {
                        ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(request);
                        export.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> s.getSpansList().forEach(span ->
                                received.add(new String[] {HexFormat.of().formatHex(span.getTraceId().toByteArray()), span.getKind().name()}))));
                        answer.onNext(ExportTraceServiceResponse.getDefaultInstance().toByteArray());
                        answer.onCompleted();
                    } catch (Exception e) {
                        answer.onError(e);
                    }
                }))
                .build();
        int collectorPort = FreePorts.pick();
        Server collector = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", collectorPort)).addService(traceService).build().start();
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply("""
                    kind: HTTPServer
                    name: grpc-traced
                    port: %d
                    tracing:
                      serviceName: shop-gateway
                      batchLimits: {batchTimeout: 20}
                      exporter:
                        otlp: {protocol: grpc, endpoint: "127.0.0.1:%d", insecure: true, compression: gzip}
                    rules:
                    - paths:
                      - pathPrefix: /
                        backend: p
                    """.formatted(port, collectorPort), LocalNode.proxyPipeline("p", "roundRobin", app.url()));
            assertThat(node.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/traced")).build()).statusCode())
                    .isEqualTo(200);
            String trace = app.received().get(0).header("traceparent").split("-")[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().filter(s -> s[0].equals(trace)).count() == 2);
            assertThat(received.stream().filter(s -> s[0].equals(trace)).map(s -> s[1]))
                    .containsExactlyInAnyOrder("SPAN_KIND_SERVER", "SPAN_KIND_CLIENT");
        } finally {
            collector.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
