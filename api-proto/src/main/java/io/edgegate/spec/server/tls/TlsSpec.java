package io.edgegate.spec.server.tls;

import io.edgegate.spec.codec.SpecObject;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * TLS termination for an HTTPServer with {@code https: true}: certificate/key pairs (from
 * {@code certs}/{@code keys}, paired by name, and the single {@code certBase64}/{@code keyBase64}
 * pair, which comes first and is the default), each served to clients whose SNI names one of
 * its certificate's DNS names; and, with {@code caCertBase64}, client certificates required
 * and checked against that CA (mutual TLS).
 */
public record TlsSpec(List<CertKeyPair> pairs, Optional<String> clientCaPem) {

    public TlsSpec {
        pairs = List.copyOf(pairs);
    }

    /** Reads the TLS fields of an HTTPServer; every certificate and key is parsed and checked here, at apply. */
    public static TlsSpec decode(SpecObject o) {
        Map<String, String> certs = o.stringMap("certs");
        Map<String, String> keys = o.stringMap("keys");
        Optional<String> certBase64 = o.optionalString("certBase64").filter(v -> !v.isEmpty());
        Optional<String> keyBase64 = o.optionalString("keyBase64").filter(v -> !v.isEmpty());
        Optional<String> caCertBase64 = o.optionalString("caCertBase64").filter(v -> !v.isEmpty());
        int errorsBefore = o.context().errorCount();
        List<CertKeyPair> pairs = new ArrayList<>();
        if (certBase64.isPresent() != keyBase64.isPresent()) {
            o.error(certBase64.isPresent() ? "keyBase64" : "certBase64",
                    "certBase64 and keyBase64 go together: set both or neither");
        } else if (certBase64.isPresent()) {
            check(o, "certBase64", "keyBase64", "base64", certBase64.get(), keyBase64.get()).ifPresent(pairs::add);
        }
        TreeSet<String> names = new TreeSet<>(certs.keySet());
        names.addAll(keys.keySet());
        for (String name : names) {
            if (!keys.containsKey(name)) {
                o.error("keys", "certificate '" + name + "' in certs has no key of the same name in keys");
            } else if (!certs.containsKey(name)) {
                o.error("certs", "key '" + name + "' in keys has no certificate of the same name in certs");
            } else {
                check(o, "certs." + name, "keys." + name, name, certs.get(name), keys.get(name)).ifPresent(pairs::add);
            }
        }
        if (pairs.isEmpty() && o.context().errorCount() == errorsBefore) {
            o.error("https", "https: true needs a certificate: set certs and keys (PEM, paired by name) or certBase64 and keyBase64");
        }
        Optional<String> clientCa = Optional.empty();
        if (caCertBase64.isPresent()) {
            try {
                String pem = Pem.text(caCertBase64.get());
                Pem.certificates(pem);
                clientCa = Optional.of(pem);
            } catch (IllegalArgumentException e) {
                o.error("caCertBase64", e.getMessage());
            }
        }
        return new TlsSpec(pairs, clientCa);
    }

    private static Optional<CertKeyPair> check(SpecObject o, String certKey, String keyKey, String name,
                                               String certValue, String keyValue) {
        String certPem;
        String keyPem;
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            certPem = Pem.text(certValue);
            chain = Pem.certificates(certPem);
        } catch (IllegalArgumentException e) {
            o.error(certKey, e.getMessage());
            return Optional.empty();
        }
        try {
            keyPem = Pem.text(keyValue);
            key = Pem.privateKey(keyPem);
        } catch (IllegalArgumentException e) {
            o.error(keyKey, e.getMessage());
            return Optional.empty();
        }
        if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
            // OpenSSL, the nodes' TLS engine, finds no key material for it: every handshake would fail.
            o.error(keyKey, "is an Ed25519 key, which the nodes cannot serve: use an RSA or ECDSA key");
            return Optional.empty();
        }
        if (!Pem.pairs(key, chain.get(0))) {
            o.error(keyKey, "is not the key of certificate '" + name + "' ("
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
            return Optional.empty();
        }
        return Optional.of(new CertKeyPair(name, certPem, keyPem));
    }
}
