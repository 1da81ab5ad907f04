package io.edgegate.dataplane.filter.requestbuilder;

import io.edgegate.dataplane.filter.builder.BuilderData;
import io.edgegate.dataplane.filter.builder.BuilderRun;
import io.edgegate.dataplane.filter.builder.BuiltMessages;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.requestbuilder.RequestBuilderSpec;
import java.util.concurrent.CompletionStage;

/** Makes the step namespace's request: a copy of another namespace's, or one rendered from the template. */
final class RequestBuilderFilter implements Filter {

    private final RequestBuilderSpec spec;
    private final BuilderRun run;

    RequestBuilderFilter(RequestBuilderSpec spec) {
        this.spec = spec;
        this.run = spec.template() == null ? null : new BuilderRun(RequestBuilderSpec.KIND, spec.name(), spec.template());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        if (run == null) {
            String source = spec.sourceNamespace();
            return BuilderRun.copy(context, BuilderData.readRequest(context, source), () -> context.copyRequest(source));
        }
        return run.run(context, rendered -> {
            BuiltMessages.BuiltRequest built = BuiltMessages.request(rendered);
            context.buildRequest(built.head(), built.body());
            return SUCCESS;
        });
    }
}
