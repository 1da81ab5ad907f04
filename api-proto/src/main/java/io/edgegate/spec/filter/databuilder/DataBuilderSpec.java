package io.edgegate.spec.filter.databuilder;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Set;

/**
 * DataBuilder (Easegress v2): renders its template, reads the result as YAML and stores it as
 * {@code .data.<dataKey>} for later templates; {@code buildErr} when the template fails.
 */
public record DataBuilderSpec(String name, String dataKey, BuilderTemplate template) implements FilterSpec {

    public static final String KIND = "DataBuilder";
    public static final String RESULT_BUILD_ERR = "buildErr";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_BUILD_ERR), DataBuilderSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static DataBuilderSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String dataKey = o.string("dataKey", "");
        if (dataKey.isEmpty()) {
            o.error("dataKey", "dataKey must be specified");
        }
        BuilderTemplate template = BuilderTemplate.decode(o);
        if (template == null) {
            o.error("template", "template must be specified");
        }
        return new DataBuilderSpec(name, dataKey, template);
    }
}
