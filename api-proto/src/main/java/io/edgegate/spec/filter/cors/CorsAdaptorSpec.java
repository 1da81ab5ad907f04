package io.edgegate.spec.filter.cors;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CORSAdaptor filter (Easegress format). It answers CORS preflight requests itself
 * (204, result {@code preflighted}) and adds the CORS headers to the answers of actual
 * cross-origin requests: in a v2 {@code Pipeline} always, as Easegress v2 does, where an actual
 * request from an origin or with a method not allowed is stopped here (result {@code rejected},
 * an empty 200 with {@code Vary: Origin}); in a v1 {@code HTTPPipeline} with {@code supportCORSRequest},
 * as Easegress v1 did. {@code allowedOrigins} (default
 * every origin) may hold {@code *} or one {@code *} wildcard per entry
 * ({@code https://*.example.com}); {@code allowedMethods} defaults to GET, POST and HEAD;
 * {@code allowedHeaders} to Origin, Accept, Content-Type and X-Requested-With ({@code *}: any).
 */
public record CorsAdaptorSpec(String name, List<String> allowedOrigins, List<String> allowedMethods,
                              List<String> allowedHeaders, boolean allowCredentials, List<String> exposedHeaders,
                              int maxAge, boolean supportCorsRequest, boolean rejectsDisallowed) implements FilterSpec {

    public static final String KIND = "CORSAdaptor";
    public static final String RESULT_PREFLIGHTED = "preflighted";
    /** Easegress v2: an actual cross-origin request whose origin or method is not allowed. */
    public static final String RESULT_REJECTED = "rejected";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_PREFLIGHTED, RESULT_REJECTED),
            CorsAdaptorSpec::decode);

    public CorsAdaptorSpec {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposedHeaders = List.copyOf(exposedHeaders);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static CorsAdaptorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<String> origins = o.stringList("allowedOrigins");
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            if (origin.chars().filter(c -> c == '*').count() > 1) {
                o.error("allowedOrigins[" + i + "]", "'" + origin + "' may hold one '*' at most");
            }
        }
        List<String> methods = o.stringList("allowedMethods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        List<String> headers = o.stringList("allowedHeaders");
        boolean credentials = o.bool("allowCredentials", false);
        List<String> exposed = o.stringList("exposedHeaders");
        int maxAge = o.integer("maxAge", 0, 0, Integer.MAX_VALUE);
        boolean v1 = pipelineKind == ObjectKind.HTTP_PIPELINE;
        boolean actual = o.bool("supportCORSRequest", !v1);
        return new CorsAdaptorSpec(name, origins.isEmpty() ? List.of("*") : origins,
                methods.isEmpty() ? List.of("GET", "POST", "HEAD") : methods,
                headers.isEmpty() ? List.of("Origin", "Accept", "Content-Type", "X-Requested-With") : headers,
                credentials, exposed, maxAge, actual, !v1);
    }
}
