package io.edgegate.spec.filter.fallback;

import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Map;
import java.util.Set;

/**
 * Fallback (Easegress): turns the answer so far (typically a Proxy's failure, reached by
 * {@code jumpIf}) into {@code mockCode} with {@code mockHeaders} set over its headers and
 * {@code mockBody} as its body, and returns {@code fallback}.
 */
public record FallbackSpec(String name, int mockCode, Map<String, String> mockHeaders, String mockBody) implements FilterSpec {

    public static final String KIND = "Fallback";
    public static final String RESULT_FALLBACK = "fallback";
    public static final String RESULT_RESPONSE_NOT_FOUND = "responseNotFound";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_FALLBACK, RESULT_RESPONSE_NOT_FOUND),
            FallbackSpec::decode);

    public FallbackSpec {
        mockHeaders = Map.copyOf(mockHeaders);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static FallbackSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        return decodeMock(name, o);
    }

    /** The mock answer's fields (mockCode, mockHeaders, mockBody), also a v1 Proxy's fallback. */
    public static FallbackSpec decodeMock(String name, SpecObject o) {
        int code = o.requiredInt("mockCode", 100, 599);
        if (code < 200) {
            o.error("mockCode", io.edgegate.spec.filter.mock.MockSpec.interimStatus(code));
        }
        Map<String, String> headers = o.stringMap("mockHeaders");
        headers.forEach((header, value) -> {
            if (!HttpTokens.isHeaderName(header)) {
                o.error("mockHeaders." + header, "'" + header + "' is not a header name");
            } else if (!HttpTokens.isHeaderValue(value)) {
                o.error("mockHeaders." + header, "the value holds characters a header cannot carry");
            }
        });
        return new FallbackSpec(name, code, headers, o.string("mockBody", ""));
    }
}
