package io.edgegate.dataplane.filter.resultbuilder;

import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.RenderedYaml;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.resultbuilder.ResultBuilderSpec;
import java.util.concurrent.CompletionStage;

/** Returns the result its template renders (read as a YAML string): empty goes on, result0–result9 jump, anything else is "unknown". */
final class ResultBuilderFilter implements Filter {

    private final BuilderRun run;

    ResultBuilderFilter(ResultBuilderSpec spec) {
        this.run = new BuilderRun(ResultBuilderSpec.KIND, spec.name(), spec.template());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        return run.run(context, rendered -> {
            // Any scalar's text, as yaml.v3 decodes into a Go string: "1" is the result "1" (unknown), not an error.
            String result = RenderedYaml.text(rendered);
            if (result.isEmpty()) {
                return SUCCESS;
            }
            return ResultBuilderSpec.RESULTS.contains(result) && !result.equals(BuilderRun.BUILD_ERR) ? result : ResultBuilderSpec.RESULT_UNKNOWN;
        });
    }
}
