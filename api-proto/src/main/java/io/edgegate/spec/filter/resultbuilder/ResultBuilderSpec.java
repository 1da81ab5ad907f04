package io.edgegate.spec.filter.resultbuilder;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * ResultBuilder (Easegress v2): renders its template to a result for {@code jumpIf}: empty
 * (go on), {@code result0} to {@code result9}, {@code unknown} for anything else, and
 * {@code buildErr} when the template fails.
 */
public record ResultBuilderSpec(String name, BuilderTemplate template) implements FilterSpec {

    public static final String KIND = "ResultBuilder";
    public static final String RESULT_BUILD_ERR = "buildErr";
    public static final String RESULT_UNKNOWN = "unknown";
    public static final Set<String> RESULTS = results();
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, RESULTS, ResultBuilderSpec::decode);

    private static Set<String> results() {
        Set<String> results = new LinkedHashSet<>();
        for (int i = 0; i < 10; i++) {
            results.add("result" + i);
        }
        results.add(RESULT_BUILD_ERR);
        results.add(RESULT_UNKNOWN);
        return Set.copyOf(results);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static ResultBuilderSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        BuilderTemplate template = BuilderTemplate.decode(o);
        if (template == null) {
            o.error("template", "a ResultBuilder needs a template");
        }
        return new ResultBuilderSpec(name, template);
    }
}
