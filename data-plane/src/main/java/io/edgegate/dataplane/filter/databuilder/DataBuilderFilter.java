package io.edgegate.dataplane.filter.databuilder;

import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.BuilderValues;
import io.edgegate.dataplane.filter.builder.RenderedYaml;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.databuilder.DataBuilderSpec;
import java.util.concurrent.CompletionStage;

/**
 * Stores what its template renders, read as YAML, as {@code .data.<dataKey>} for later
 * templates. Numbers are floats, as Easegress reads the data through JSON.
 */
final class DataBuilderFilter implements Filter {

    private final DataBuilderSpec spec;
    private final BuilderRun run;

    DataBuilderFilter(DataBuilderSpec spec) {
        this.spec = spec;
        this.run = new BuilderRun(DataBuilderSpec.KIND, spec.name(), spec.template());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        return run.run(context, rendered -> {
            context.putData(spec.dataKey(), BuilderValues.fromYaml(RenderedYaml.value(rendered)));
            return SUCCESS;
        });
    }
}
