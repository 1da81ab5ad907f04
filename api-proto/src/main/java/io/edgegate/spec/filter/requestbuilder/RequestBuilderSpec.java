package io.edgegate.spec.filter.requestbuilder;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Set;

/**
 * RequestBuilder (Easegress v2): makes the request of the step's namespace, either as the
 * request of {@code sourceNamespace} or from a Go {@code template} that renders YAML with
 * {@code method}, {@code url}, {@code headers}, {@code body} or {@code formData}. A template
 * that fails at run time returns {@code buildErr}.
 */
public record RequestBuilderSpec(String name, String sourceNamespace, BuilderTemplate template) implements FilterSpec {

    public static final String KIND = "RequestBuilder";
    public static final String RESULT_BUILD_ERR = "buildErr";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_BUILD_ERR), RequestBuilderSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static RequestBuilderSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        BuilderTemplate.Source source = BuilderTemplate.sourceOrTemplate(o);
        return new RequestBuilderSpec(name, source.sourceNamespace(), source.template());
    }
}
