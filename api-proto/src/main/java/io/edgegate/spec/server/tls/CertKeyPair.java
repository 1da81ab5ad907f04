package io.edgegate.spec.server.tls;

/** One certificate chain and its key, as PEM text, under the name that pairs them in {@code certs}/{@code keys}. */
public record CertKeyPair(String name, String certificatePem, String keyPem) {
}
