package io.edgegate.controlplane.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Counts every API call by method and gRPC code when it ends ({@code edgegate_api_calls_total}). */
public final class ApiCallMetrics implements ServerInterceptor {

    private final MeterRegistry registry;

    public ApiCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                // Method names come from the service definitions, codes from gRPC's fixed set: bounded labels.
                Counter.builder("edgegate.api.calls").description("API calls by method and gRPC code")
                        .tags("method", method, "code", status.getCode().name()).register(registry).increment();
                super.close(status, trailers);
            }
        }, headers);
    }
}
