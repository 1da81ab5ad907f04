package io.edgegate.dataplane.tracing;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP over gRPC ({@code TraceService/Export} on a collector's port 4317), as Easegress's
 * {@code otlp} exporter with {@code protocol: grpc} sends it. The request is OpenTelemetry's own
 * protobuf encoding of the spans (the same bytes its OTLP/HTTP exporter posts), sent on a gRPC
 * channel of this exporter's; it runs on the batch processor's thread, never on a traffic loop.
 */
final class OtlpGrpcExporter implements SpanExporter {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcExporter.class);
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private final URI endpoint;
    private final boolean gzip;
    private final Duration timeout;
    private final ManagedChannel channel;

    /** {@code endpoint} is {@code http://host:port} (plaintext) or {@code https://host:port}. */
    OtlpGrpcExporter(URI endpoint, boolean gzip, Duration timeout) {
        this.endpoint = endpoint;
        this.gzip = gzip;
        this.timeout = timeout;
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort());
        this.channel = ("https".equals(endpoint.getScheme()) ? builder.useTransportSecurity() : builder.usePlaintext()).build();
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(request);
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (gzip) {
            options = options.withCompression("gzip");
        }
        CompletableResultCode result = new CompletableResultCode();
        var call = ClientCalls.futureUnaryCall(channel.newCall(EXPORT, options), request.toByteArray());
        call.addListener(() -> {
            try {
                call.get();
                result.succeed();
            } catch (Exception e) {
                LOG.warn("cannot export {} spans over OTLP/gRPC to {}: {}", spans.size(), endpoint, e.getCause() == null ? e : e.getCause());
                result.fail();
            }
        }, Runnable::run);
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        channel.shutdown();
        return CompletableResultCode.ofSuccess();
    }
}
