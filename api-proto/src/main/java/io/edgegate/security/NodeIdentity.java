package io.edgegate.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A data plane's name in its certificate: a URI subject-alternative name
 * {@code spiffe://<trust-domain>/node/<node-id>}. The control plane believes the node id of a
 * stream only when the certificate that opened it says so.
 */
public final class NodeIdentity {

    public static final String DEFAULT_TRUST_DOMAIN = "edgegate.local";
    private static final int URI_NAME = 6;

    private NodeIdentity() {
    }

    public static String uri(String trustDomain, String nodeId) {
        return "spiffe://" + trustDomain + "/node/" + nodeId;
    }

    /** The node id the certificate names in {@code trustDomain}, if it names one. */
    public static Optional<String> nodeIdOf(X509Certificate certificate, String trustDomain) {
        String prefix = "spiffe://" + trustDomain + "/node/";
        for (String uri : uriNames(certificate)) {
            if (uri.startsWith(prefix) && uri.length() > prefix.length() && uri.indexOf('/', prefix.length()) < 0) {
                return Optional.of(uri.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    static List<String> uriNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream()
                    .filter(name -> ((Integer) name.get(0)) == URI_NAME)
                    .map(name -> (String) name.get(1))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
