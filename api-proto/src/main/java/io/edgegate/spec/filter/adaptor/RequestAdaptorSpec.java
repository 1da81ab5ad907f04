package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The RequestAdaptor filter (Easegress format): changes the request before it goes on —
 * {@code method}, {@code host} (the Host header), {@code path} (see {@link PathChange}),
 * {@code header} ({@code del}, {@code set}, {@code add}) and {@code body} (replaced whole).
 * Header values and the body are {@link RequestTemplate}s. {@code decompress: gzip} hands
 * the next filters a gzip-encoded body decoded (at most 16 MB decoded). {@code sign} signs the
 * request last (see {@link SignSpec}).
 */
public record RequestAdaptorSpec(String name, Optional<String> method, Optional<RequestTemplate> host, PathChange path,
                                 HeaderChanges header, Optional<RequestTemplate> body, boolean decompressGzip,
                                 boolean compressGzip, BuilderTemplate template, Optional<SignSpec> sign) implements FilterSpec {

    public static final String KIND = "RequestAdaptor";
    /** Easegress's results for a body that could not be read or decoded (end the flow on them with jumpIf). */
    public static final String RESULT_DECOMPRESS_FAILED = "decompressFailed";
    /**
     * Easegress's, accepted in {@code jumpIf}; never returned here: compression streams as the body goes
     * upstream, and one that fails cuts the request off.
     */
    public static final String RESULT_COMPRESS_FAILED = "compressFailed";
    public static final String RESULT_READ_BODY_FAILED = "readBodyFailed";
    /** Its Easegress v2 {@code template} failed to render, or rendered no adaptor. */
    public static final String RESULT_BUILD_ERR = "buildErr";
    /** Its {@code sign} could not read the body it signs. */
    public static final String RESULT_SIGN_FAILED = "signFailed";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND,
            Set.of(RESULT_DECOMPRESS_FAILED, RESULT_READ_BODY_FAILED, RESULT_BUILD_ERR, RESULT_SIGN_FAILED, RESULT_COMPRESS_FAILED),
            RequestAdaptorSpec::decode);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE");

    @Override
    public String kind() {
        return KIND;
    }

    static RequestAdaptorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String decompress = o.string("decompress", "");
        if (!decompress.isEmpty() && !decompress.equals("gzip")) {
            o.error("decompress", "'" + decompress + "' is not supported (expected gzip)");
        }
        String compress = o.string("compress", "");
        if (!compress.isEmpty() && !compress.equals("gzip")) {
            o.error("compress", "'" + compress + "' is not supported (expected gzip)");
        }
        if (!compress.isEmpty() && !decompress.isEmpty()) {
            o.error("compress", "set compress or decompress, not both");
        }
        BuilderTemplate template = BuilderTemplate.decode(o);
        Optional<SignSpec> sign = o.object("sign").map(SignSpec::decode);
        RequestAdaptorSpec changes = changes(name, o);
        return new RequestAdaptorSpec(name, changes.method, changes.host, changes.path, changes.header, changes.body,
                decompress.equals("gzip"), compress.equals("gzip"), template, sign);
    }

    /** The fields an adaptor changes the request with, which a {@code template} may also render. */
    private static RequestAdaptorSpec changes(String name, SpecObject o) {
        Optional<String> method = o.optionalString("method").filter(m -> !m.isEmpty()).map(m -> m.toUpperCase(Locale.ROOT));
        method.filter(m -> !METHODS.contains(m)).ifPresent(m -> o.error("method", "'" + m + "' is not an HTTP method"));
        Optional<RequestTemplate> host = Templates.optional(o, "host");
        PathChange path = PathChange.optional(o);
        HeaderChanges header = HeaderChanges.optional(o);
        Optional<RequestTemplate> body = Templates.optional(o, "body");
        return new RequestAdaptorSpec(name, method, host, path, header, body, false, false, null, Optional.empty());
    }

    /**
     * This adaptor with what its template rendered (YAML with {@code method}, {@code host},
     * {@code path}, {@code header}, {@code body}): a rendered field replaces the static one, as in
     * Easegress.
     *
     * @throws SpecException when the rendered text is not such YAML
     */
    public RequestAdaptorSpec withRendered(String rendered) throws SpecException {
        RequestAdaptorSpec t = Rendered.decode(rendered, o -> changes(name, o));
        return new RequestAdaptorSpec(name, t.method.or(() -> method), t.host.or(() -> host), t.path.isNone() ? path : t.path,
                t.header.equals(HeaderChanges.NONE) ? header : t.header, t.body.isPresent() ? t.body : body,
                decompressGzip, compressGzip, null, sign);
    }
}
