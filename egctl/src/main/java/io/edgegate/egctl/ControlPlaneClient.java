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
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/** A connection to one control plane for the length of one command: TLS (unless --insecure), the token on every call. */
final class ControlPlaneClient implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 30;
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Connection connection;
    /** gRPC over Netty, made on first use: a command that only reads may never need it. */
    private ManagedChannel managed;
    private final QuickReadChannel quick;
    private final Channel channel;

    ControlPlaneClient(Connection connection) {
        this.connection = connection;
        Optional<SSLContext> quickTls = connection.insecure() ? Optional.empty() : quickTls(connection.ca());
        Channel transport;
        if (quickTls.isPresent()) {
            quick = new QuickReadChannel(connection.server(), quickTls.get(), this::managed);
            transport = quick;
        } else {
            quick = null;
            // Plaintext (the JDK's client speaks HTTP/2 only over TLS), or a CA the JDK cannot read: Netty says what is wrong.
            transport = managed();
        }
        Metadata headers = new Metadata();
        if (!connection.insecure()) {
            // Over plaintext a token would cross the wire in clear, to a control plane (--insecure) that checks none.
            connection.token().ifPresent(token -> headers.put(AUTHORIZATION, "Bearer " + token));
        }
        this.channel = ClientInterceptors.intercept(transport, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private synchronized ManagedChannel managed() {
        if (managed != null) {
            return managed;
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(connection.server()).maxInboundMessageSize(64 * 1024 * 1024);
        if (connection.insecure()) {
            builder.usePlaintext();
        } else if (connection.ca().isPresent()) {
            try {
                // The JDK's TLS: a command makes one connection, and loading OpenSSL would cost it more than it saves.
                builder.sslContext(ControlChannelTls.client(new ReloadingTls(TlsFiles.trustOnly(connection.ca().get()), Clock.systemUTC()),
                        SslProvider.JDK));
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
        managed = builder.build();
        return managed;
    }

    /** The JDK's TLS trusting the CA bundle (or the system's store): empty when the JDK cannot read the bundle. */
    private static Optional<SSLContext> quickTls(Optional<Path> ca) {
        try {
            if (ca.isEmpty()) {
                return Optional.of(SSLContext.getDefault());
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(ca.get())) {
                int i = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
                if (i == 0) {
                    return Optional.empty();
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return Optional.of(tls);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
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
            throw new CommandFailure(Errors.describe(e, connection), e.getStatus().getCode());
        }
    }

    @Override
    public synchronized void close() {
        if (quick != null) {
            quick.close();
        }
        if (managed == null) {
            return;
        }
        managed.shutdownNow();
        try {
            managed.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
