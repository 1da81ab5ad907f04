package io.edgegate.spec.filter.responsebuilder;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Set;

/**
 * ResponseBuilder (Easegress v2): makes the response of the step's namespace, either as the
 * response of {@code sourceNamespace} or from a Go {@code template} that renders YAML with
 * {@code statusCode}, {@code headers} and {@code body}. A template
 * that fails at run time returns {@code buildErr}.
 */
public record ResponseBuilderSpec(String name, String sourceNamespace, BuilderTemplate template) implements FilterSpec {

    public static final String KIND = "ResponseBuilder";
    public static final String RESULT_BUILD_ERR = "buildErr";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_BUILD_ERR), ResponseBuilderSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static ResponseBuilderSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String source = o.string("sourceNamespace", "");
        BuilderTemplate template = BuilderTemplate.decode(o);
        BuilderTemplate.checkProtocol(o);
        if (source.isEmpty() && template == null) {
            o.error("sourceNamespace or template must be specified");
        } else if (!source.isEmpty() && template != null) {
            o.error("sourceNamespace and template cannot be specified at the same time");
        }
        return new ResponseBuilderSpec(name, source, template);
    }
}
