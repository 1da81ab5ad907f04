package io.edgegate.dataplane.filter.responsebuilder;

import io.edgegate.dataplane.filter.builder.BuilderData;
import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.BuiltMessages;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.responsebuilder.ResponseBuilderSpec;
import java.util.concurrent.CompletionStage;

/**
 * Makes the step namespace's response: a copy of another namespace's, or one rendered from the
 * template. In DEFAULT it is the client's answer, replacing any answer given before (Easegress
 * sets the output response).
 */
final class ResponseBuilderFilter implements Filter {

    private final ResponseBuilderSpec spec;
    private final BuilderRun run;

    ResponseBuilderFilter(ResponseBuilderSpec spec) {
        this.spec = spec;
        this.run = spec.template() == null ? null : new BuilderRun(ResponseBuilderSpec.KIND, spec.name(), spec.template());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        if (run == null) {
            String source = spec.sourceNamespace();
            return BuilderRun.copy(context, BuilderData.readResponse(context, source), () -> context.copyResponse(source));
        }
        return run.run(context, rendered -> {
            BuiltMessages.BuiltResponse built = BuiltMessages.response(rendered);
            context.buildResponse(built.head(), built.body());
            return SUCCESS;
        });
    }
}
