package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Optional;
import java.util.Set;

/**
 * The ResponseAdaptor filter (Easegress format): changes the answer — {@code header}
 * ({@code del}, {@code set}, {@code add}) and {@code body} (replaced whole), then
 * {@code compress: gzip} (unless the answer is gzip already) or {@code decompress: gzip} (when its
 * {@code Content-Encoding} is gzip), both as the body streams. Values are
 * {@link RequestTemplate}s of the request that was answered.
 */
public record ResponseAdaptorSpec(String name, HeaderChanges header, Optional<RequestTemplate> body, boolean compressGzip,
                                  boolean decompressGzip) implements FilterSpec {

    public static final String KIND = "ResponseAdaptor";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(), ResponseAdaptorSpec::decode);

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
        return new ResponseAdaptorSpec(name, HeaderChanges.optional(o), body, compress.equals("gzip"), decompress.equals("gzip"));
    }
}
