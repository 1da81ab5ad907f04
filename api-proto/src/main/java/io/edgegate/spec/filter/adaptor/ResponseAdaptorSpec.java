package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Optional;
import java.util.Set;

/**
 * The ResponseAdaptor filter (Easegress format): changes the answer — {@code header}
 * ({@code del}, {@code set}, {@code add}) and {@code body} (replaced whole). Values are
 * {@link RequestTemplate}s of the request that was answered.
 */
public record ResponseAdaptorSpec(String name, HeaderChanges header, Optional<RequestTemplate> body) implements FilterSpec {

    public static final String KIND = "ResponseAdaptor";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(), ResponseAdaptorSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static ResponseAdaptorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        o.unsupported("body compression in adaptors arrives with response compression", "compress", "decompress");
        return new ResponseAdaptorSpec(name, HeaderChanges.optional(o), Templates.optional(o, "body"));
    }
}
