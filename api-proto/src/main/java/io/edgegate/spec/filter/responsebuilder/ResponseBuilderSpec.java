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
        BuilderTemplate.Source source = BuilderTemplate.sourceOrTemplate(o);
        return new ResponseBuilderSpec(name, source.sourceNamespace(), source.template());
    }
}
