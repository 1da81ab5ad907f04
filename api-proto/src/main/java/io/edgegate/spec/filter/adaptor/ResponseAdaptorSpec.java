package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ResponseAdaptor filter (Easegress format): changes the answer — {@code header}
 * ({@code del}, {@code set}, {@code add}) and {@code body} (replaced whole), then
 * {@code compress: gzip} (unless the answer is gzip already) or {@code decompress: gzip} (when its
 * {@code Content-Encoding} is gzip), both as the body streams. Values are
 * {@link RequestTemplate}s of the request that was answered.
 */
public record ResponseAdaptorSpec(String name, HeaderChanges header, Optional<RequestTemplate> body, boolean compressGzip,
                                  boolean decompressGzip, BuilderTemplate template) implements FilterSpec {

    public static final String KIND = "ResponseAdaptor";
    /** Its Easegress v2 {@code template} failed to render, or rendered no adaptor. */
    public static final String RESULT_BUILD_ERR = "buildErr";
    /** In a v2 Pipeline: no answer yet in its namespace (the adaptor runs before any Proxy or builder), as in Easegress. */
    public static final String RESULT_RESPONSE_NOT_FOUND = "responseNotFound";
    /**
     * Easegress's gzip results, accepted in {@code jumpIf} so its configs apply as written. EdgeGate returns
     * neither: a gzip that breaks mid-body cuts the response off rather than ending the flow.
     */
    public static final Set<String> EASEGRESS_ONLY_RESULTS = Set.of("compressFailed", "decompressFailed");
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND,
            Stream.concat(Set.of(RESULT_BUILD_ERR, RESULT_RESPONSE_NOT_FOUND).stream(), EASEGRESS_ONLY_RESULTS.stream())
                    .collect(Collectors.toUnmodifiableSet()),
            ResponseAdaptorSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static ResponseAdaptorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String compress = o.string("compress", "");
        String decompress = o.string("decompress", "");
        for (String[] field : new String[][] {{"compress", compress}, {"decompress", decompress}}) {
            if (!field[1].isEmpty() && !field[1].equals("gzip")) {
                o.error(field[0], "'" + field[1] + "' is not supported (expected gzip, as Easegress)");
            }
        }
        if (!compress.isEmpty() && !decompress.isEmpty()) {
            o.error("decompress", "set compress or decompress, not both");
        }
        Optional<RequestTemplate> body = Templates.optional(o, "body");
        if (body.isPresent() && !decompress.isEmpty()) {
            o.error("decompress", "a body given here is not compressed: drop decompress");
        }
        BuilderTemplate template = BuilderTemplate.decode(o);
        return new ResponseAdaptorSpec(name, HeaderChanges.optional(o), body, compress.equals("gzip"), decompress.equals("gzip"), template);
    }

    /** This adaptor with what its template rendered ({@code header}, {@code body}); rendered fields replace static ones. */
    public ResponseAdaptorSpec withRendered(String rendered) throws SpecException {
        ResponseAdaptorSpec t = Rendered.decode(rendered,
                o -> new ResponseAdaptorSpec(name, HeaderChanges.optional(o), Templates.optional(o, "body"), false, false, null));
        return new ResponseAdaptorSpec(name, t.header.equals(HeaderChanges.NONE) ? header : t.header,
                t.body.isPresent() ? t.body : body, compressGzip, decompressGzip, null);
    }
}
