package io.edgegate.egctl;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.TokenServiceGrpc;
import io.edgegate.security.ControlChannelTls;
import io.edgegate.security.ReloadingTls;
import io.edgegate.security.TlsFiles;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/** A connection to one control plane for the length of one command: TLS (unless --insecure), the token on every call. */
final class ControlPlaneClient implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 30;
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Connection connection;
    private final ManagedChannel managed;
    private final Channel channel;

    ControlPlaneClient(Connection connection) {
        this.connection = connection;
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(connection.server()).maxInboundMessageSize(64 * 1024 * 1024);
        if (connection.insecure()) {
            builder.usePlaintext();
        } else if (connection.ca().isPresent()) {
            try {
                builder.sslContext(ControlChannelTls.client(new ReloadingTls(TlsFiles.trustOnly(connection.ca().get()), Clock.systemUTC())));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure("the CA bundle " + e.getMessage());
            }
        } else {
            try {
                // No CA given: the system's trust store, for a control plane with a publicly trusted certificate.
                builder.sslContext(GrpcSslContexts.forClient().build());
            } catch (SSLException e) {
                throw new CommandFailure("cannot set up TLS: " + e.getMessage());
            }
        }
        this.managed = builder.build();
        Metadata headers = new Metadata();
        connection.token().ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
        this.channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    <T> T objects(Function<ObjectServiceGrpc.ObjectServiceBlockingStub, T> call) {
        return call(() -> call.apply(ObjectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
    }

    <T> T cluster(Function<ClusterServiceGrpc.ClusterServiceBlockingStub, T> call) {
        return call(() -> call.apply(ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
    }

    <T> T tokens(Function<TokenServiceGrpc.TokenServiceBlockingStub, T> call) {
        return call(() -> call.apply(TokenServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
    }

    /** A server-streaming call without a fixed deadline (the server ends it). */
    <T> T clusterStream(Function<ClusterServiceGrpc.ClusterServiceBlockingStub, T> call) {
        return call(() -> call.apply(ClusterServiceGrpc.newBlockingStub(channel)));
    }

    <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new CommandFailure(Errors.describe(e, connection));
        }
    }

    @Override
    public void close() {
        managed.shutdownNow();
        try {
            managed.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
