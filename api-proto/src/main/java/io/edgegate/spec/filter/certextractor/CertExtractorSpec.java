package io.edgegate.spec.filter.certextractor;

import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Set;

/**
 * CertExtractor (Easegress): a field of the {@code subject} or {@code issuer} of one of the
 * client's TLS certificates ({@code certIndex}, negative counting from the end of the chain) is
 * added to the request as header {@code headerKey} (default {@code tls-<target>-<field>}). A
 * request without a client certificate passes unchanged.
 */
public record CertExtractorSpec(String name, int certIndex, String target, String field, String headerKey) implements FilterSpec {

    public static final String KIND = "CertExtractor";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(), CertExtractorSpec::decode);
    public static final Set<String> FIELDS = Set.of("Country", "Organization", "OrganizationalUnit", "Locality", "Province",
            "StreetAddress", "PostalCode", "SerialNumber", "CommonName");

    @Override
    public String kind() {
        return KIND;
    }

    static CertExtractorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        int index = o.integer("certIndex", 0, Short.MIN_VALUE, Short.MAX_VALUE);
        String target = o.requiredString("target");
        if (!target.isEmpty() && !target.equals("subject") && !target.equals("issuer")) {
            o.error("target", "'" + target + "' is not subject or issuer");
        }
        String field = o.requiredString("field");
        if (!field.isEmpty() && !FIELDS.contains(field)) {
            o.error("field", "'" + field + "' is not one of " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
        String header = o.string("headerKey", "");
        if (header.isEmpty()) {
            header = "tls-" + target + "-" + field;
        }
        if (!HttpTokens.isHeaderName(header)) {
            o.error("headerKey", "'" + header + "' is not a header name");
        }
        return new CertExtractorSpec(name, index, target, field, header);
    }
}
