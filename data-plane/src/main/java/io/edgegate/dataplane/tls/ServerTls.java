package io.edgegate.dataplane.tls;

import io.edgegate.security.SingleKeyManager;
import io.edgegate.security.TlsProvider;
import io.edgegate.spec.server.tls.CertKeyPair;
import io.edgegate.spec.server.tls.Pem;
import io.edgegate.spec.server.tls.TlsSpec;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLException;

/**
 * The TLS side of one HTTPServer, built once per certificate set: a server context per
 * certificate/key pair and the table that picks one by the client's SNI name, as Go picks a
 * certificate: an exact DNS name of the certificate, else a wildcard one ({@code *.example.com}
 * serves one label below), else the first pair. Offers h2 and http/1.1 by ALPN.
 */
public final class ServerTls {

    private final TlsSpec spec;
    private final SslContext fallback;
    private final Map<String, SslContext> exact;
    private final Map<String, SslContext> wildcard;
    private final SslProvider provider;
    private final Map<String, java.time.Instant> expiries;

    private ServerTls(TlsSpec spec, SslContext fallback, Map<String, SslContext> exact, Map<String, SslContext> wildcard,
                      SslProvider provider, Map<String, java.time.Instant> expiries) {
        this.expiries = expiries;
        this.spec = spec;
        this.fallback = fallback;
        this.exact = exact;
        this.wildcard = wildcard;
        this.provider = provider;
    }

    public static ServerTls build(TlsSpec spec, TlsProvider choice) throws SSLException {
        SslProvider provider = choice.netty();
        List<X509Certificate> clientCa = spec.clientCaPem().map(Pem::certificates).orElse(List.of());
        Map<String, Candidate> exact = new HashMap<>();
        Map<String, Candidate> wildcard = new HashMap<>();
        SslContext fallback = null;
        Map<String, java.time.Instant> expiries = new HashMap<>();
        java.time.Instant now = java.time.Instant.now();
        for (CertKeyPair pair : spec.pairs()) {
            List<X509Certificate> chain = Pem.certificates(pair.certificatePem());
            expiries.put(pair.name(), chain.get(0).getNotAfter().toInstant());
            SslContext context = context(chain, Pem.privateKey(pair.keyPem()), clientCa, provider);
            if (fallback == null) {
                fallback = context;
            }
            Candidate candidate = new Candidate(context, !chain.get(0).getNotBefore().toInstant().isAfter(now),
                    chain.get(0).getNotAfter().toInstant());
            for (String name : Pem.dnsNames(chain.get(0))) {
                Map<String, Candidate> names = name.startsWith("*.") ? wildcard : exact;
                names.merge(name.startsWith("*.") ? name.substring(2) : name, candidate, Candidate::better);
            }
        }
        if (fallback == null) {
            throw new SSLException("no certificate to serve");
        }
        return new ServerTls(spec, fallback, contexts(exact), contexts(wildcard), provider, Map.copyOf(expiries));
    }

    /**
     * A pair that can serve a name. Of two for one name, the one already valid and valid longest serves: a
     * renewed certificate added beside the old one takes over at once, and an expired one never wins (with one
     * pair per name, as usual, it is simply that pair).
     */
    private record Candidate(SslContext context, boolean started, java.time.Instant notAfter) {
        static Candidate better(Candidate first, Candidate second) {
            if (first.started != second.started) {
                return first.started ? first : second;
            }
            return second.notAfter.isAfter(first.notAfter) ? second : first;
        }
    }

    private static Map<String, SslContext> contexts(Map<String, Candidate> candidates) {
        Map<String, SslContext> contexts = new HashMap<>();
        candidates.forEach((name, candidate) -> contexts.put(name, candidate.context()));
        return Map.copyOf(contexts);
    }

    private static SslContext context(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCa,
                                      SslProvider provider) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(keyFactory(chain, key, provider))
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        if (!clientCa.isEmpty()) {
            builder.trustManager(clientCa).clientAuth(ClientAuth.REQUIRE);
        }
        return builder.build();
    }

    /**
     * The key as it is: given the key itself, Netty would put it through a PKCS12 store, whose 10,000
     * rounds of PBKDF2 cost ~0.1-0.2 s per certificate. OpenSSL keeps its native copy of the key
     * between handshakes only when the factory says it may (Netty's caching factory).
     */
    private static KeyManagerFactory keyFactory(List<X509Certificate> chain, PrivateKey key, SslProvider provider) {
        KeyManagerFactory factory = new OneKey(new SingleKeyManager("served", key, chain));
        return provider == SslProvider.JDK ? factory : new OpenSslCachingX509KeyManagerFactory(factory);
    }

    private static final class OneKey extends SimpleKeyManagerFactory {

        private final KeyManager[] managers;

        OneKey(KeyManager manager) {
            this.managers = new KeyManager[] {manager};
        }

        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {
            // Holds its key already.
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // Holds its key already.
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            return managers.clone();
        }
    }

    /** When each served certificate (by its name in {@code certs}) expires. */
    public Map<String, java.time.Instant> expiries() {
        return expiries;
    }

    public TlsSpec spec() {
        return spec;
    }

    public SslProvider provider() {
        return provider;
    }

    /** The context for a client's SNI name ({@code null} when it sent none). */
    public SslContext forServerName(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return fallback;
        }
        String name = serverName.toLowerCase(java.util.Locale.ROOT);
        SslContext context = exact.get(name);
        if (context != null) {
            return context;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            context = wildcard.get(name.substring(dot + 1));
            if (context != null) {
                return context;
            }
        }
        return fallback;
    }
}
