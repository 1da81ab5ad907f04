package io.edgegate.dataplane.upstream;

import io.edgegate.security.TlsProvider;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts for https upstreams, made when first asked for: loading OpenSSL takes a tenth
 * of a second or more, which a node serving only cleartext upstreams need not spend before its
 * first answer. {@link #prepare} makes them ahead of need, off the event loops; an https request
 * in the first moments of a node may still wait on an event loop for them, once. An upstream's
 * certificate is not verified, as NGINX's {@code proxy_ssl_verify} and Easegress's proxy default;
 * a verifying client (for identity providers, whose answers decide who gets in) checks the chain
 * against the system's CA bundle, as Go does (the JDK's CAs where there is none), and the name
 * against the host.
 */
final class UpstreamTls {

    /** The contexts, and why they could not be made (both null until made). */
    private record Contexts(SslContext http1, SslContext http2, IllegalStateException failure) {
    }

    private final TlsProvider provider;
    private final boolean verifiesServers;
    private volatile Contexts contexts;

    UpstreamTls(TlsProvider provider, boolean verifiesServers) {
        this.provider = provider;
        this.verifiesServers = verifiesServers;
    }

    /** HTTP/1.1 over TLS. */
    SslContext http1() {
        return contexts().http1();
    }

    /** TLS that offers HTTP/2 by ALPN. */
    SslContext http2() {
        return contexts().http2();
    }

    /** Makes the contexts now, unless they are made; logs nothing, a failure is reported where they are used. */
    void prepare() {
        try {
            contexts();
        } catch (IllegalStateException reportedOnUse) {
            // Every https upstream connection fails with it.
        }
    }

    private Contexts contexts() {
        Contexts made = contexts;
        if (made == null) {
            made = make();
        }
        if (made.failure() != null) {
            throw made.failure();
        }
        return made;
    }

    private synchronized Contexts make() {
        if (contexts != null) {
            return contexts;
        }
        try {
            contexts = new Contexts(client().build(), client()
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2))
                    .build(), null);
        } catch (SSLException | RuntimeException e) {
            contexts = new Contexts(null, null, new IllegalStateException("cannot set up TLS to upstreams: " + e.getMessage(), e));
        }
        return contexts;
    }

    private SslContextBuilder client() {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider.netty());
        if (!verifiesServers) {
            return builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        builder.endpointIdentificationAlgorithm("HTTPS");
        // The system's CA bundle, as Go (Easegress) trusts it: a CA an operator added with update-ca-certificates counts.
        // Without one, the builder trusts the JDK's default CAs.
        java.io.File bundle = systemBundle();
        return bundle != null ? builder.trustManager(bundle) : builder;
    }

    /** $SSL_CERT_FILE, else the first CA bundle of the places Go looks on Linux. */
    private static java.io.File systemBundle() {
        String chosen = System.getenv("SSL_CERT_FILE");
        java.util.List<String> places = chosen != null && !chosen.isEmpty() ? java.util.List.of(chosen)
                : java.util.List.of("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem",
                        "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem");
        for (String place : places) {
            java.io.File file = new java.io.File(place);
            if (file.isFile() && file.canRead()) {
                return file;
            }
        }
        return null;
    }
}
