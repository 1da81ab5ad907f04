package io.edgegate.dataplane.filter.certextractor;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.certextractor.CertExtractorSpec;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** Adds a field of the client certificate's subject or issuer to the request, as Easegress's CertExtractor does. */
final class CertExtractorFilter implements Filter {

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);
    /** Go's pkix.Name fields by the attribute type RFC 2253 names them with (OIDs given keywords where Java has none). */
    private static final Map<String, String> TYPES = Map.of("Country", "C", "Organization", "O", "OrganizationalUnit", "OU",
            "Locality", "L", "Province", "ST", "StreetAddress", "STREET", "PostalCode", "POSTALCODE", "SerialNumber", "SERIALNUMBER",
            "CommonName", "CN");
    private static final Map<String, String> KEYWORDS = Map.of("2.5.4.17", "POSTALCODE", "2.5.4.5", "SERIALNUMBER", "2.5.4.9", "STREET");

    private final CertExtractorSpec spec;
    private final String type;

    CertExtractorFilter(CertExtractorSpec spec) {
        this.spec = spec;
        this.type = TYPES.get(spec.field());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        // Only the certificate speaks for the client: a header of that name the client sent itself is dropped, so a
        // backend reading its first value cannot be told "admin" by a client whose certificate says "alice".
        context.request().headers().remove(spec.headerKey());
        Certificate[] chain = context.peerCertificates();
        if (chain.length == 0) {
            return DONE;
        }
        int n = chain.length;
        int index = ((spec.certIndex() % n) + n) % n;
        if (!(chain[index] instanceof X509Certificate certificate)) {
            return DONE;
        }
        X500Principal name = spec.target().equals("subject") ? certificate.getSubjectX500Principal() : certificate.getIssuerX500Principal();
        try {
            for (Rdn rdn : new LdapName(name.getName(X500Principal.RFC2253, KEYWORDS)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type) && rdn.getValue() instanceof String value && !value.isEmpty()) {
                    context.request().headers().add(spec.headerKey(), value);
                }
            }
        } catch (InvalidNameException e) {
            return DONE;
        }
        return DONE;
    }
}
