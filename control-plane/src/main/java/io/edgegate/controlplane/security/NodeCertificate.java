package io.edgegate.controlplane.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What a config stream's client certificate says: the node it names, its serial and when it expires; and the chain
 * as presented, to be checked again when the trusted CAs change.
 */
public record NodeCertificate(String nodeId, String serial, Instant notAfter, List<X509Certificate> chain) {

    public NodeCertificate {
        chain = List.copyOf(chain);
    }
}
