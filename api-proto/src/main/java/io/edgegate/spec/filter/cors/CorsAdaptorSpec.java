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
 * (204, result {@code preflighted}) and, with {@code supportCORSRequest}, adds the CORS
 * headers to the answers of actual cross-origin requests. {@code allowedOrigins} (default
 * every origin) may hold {@code *} or one {@code *} wildcard per entry
 * ({@code https://*.example.com}); {@code allowedMethods} defaults to GET, POST and HEAD;
 * {@code allowedHeaders} to Origin, Accept, Content-Type and X-Requested-With ({@code *}: any).
 */
public record CorsAdaptorSpec(String name, List<String> allowedOrigins, List<String> allowedMethods,
                              List<String> allowedHeaders, boolean allowCredentials, List<String> exposedHeaders,
                              int maxAge, boolean supportCorsRequest) implements FilterSpec {

    public static final String KIND = "CORSAdaptor";
    public static final String RESULT_PREFLIGHTED = "preflighted";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_PREFLIGHTED), CorsAdaptorSpec::decode);

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
        boolean actual = o.bool("supportCORSRequest", false);
        return new CorsAdaptorSpec(name, origins.isEmpty() ? List.of("*") : origins,
                methods.isEmpty() ? List.of("GET", "POST", "HEAD") : methods,
                headers.isEmpty() ? List.of("Origin", "Accept", "Content-Type", "X-Requested-With") : headers,
                credentials, exposed, maxAge, actual);
    }
}
