package io.edgegate.security;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * TLS contexts of the control channel (egctl and data planes to the control plane), with the
 * implementation the caller names. Handshakes are few here, but every change and heartbeat is
 * sealed and opened on both sides: the control plane and the nodes use OpenSSL where it loads
 * (with the JDK's engine a change cost the control plane 15–20 % more CPU: that Java code runs
 * too seldom to be compiled well). Keys and trust are read through {@link ReloadingTls} either
 * way, so renewed files serve the next handshake. Clients verify the server's name (HTTPS rules,
 * IP or DNS names).
 */
public final class ControlChannelTls {

    private ControlChannelTls() {
    }

    /** The control plane's side: its certificate; a client certificate is asked for and, when sent, verified. */
    public static SslContext server(ReloadingTls tls, SslProvider provider) {
        if (tls.certificate().isEmpty()) {
            throw new IllegalArgumentException("a server needs a certificate and key");
        }
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManager()), provider)
                    .trustManager(tls.trustManager())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the server TLS context: " + e.getMessage(), e);
        }
    }

    /** A client: trusts the CA bundle, presents its certificate when it has one. */
    public static SslContext client(ReloadingTls tls, SslProvider provider) {
        try {
            SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forClient(), provider)
                    .trustManager(tls.trustManager())
                    .endpointIdentificationAlgorithm("HTTPS");
            if (tls.certificate().isPresent()) {
                builder.keyManager(tls.keyManager());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context: " + e.getMessage(), e);
        }
    }
}
