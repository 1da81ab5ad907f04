package io.edgegate.dataplane.server;

import io.edgegate.dataplane.pipeline.Pipeline;
import io.edgegate.dataplane.pipeline.Pipelines;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.globalfilter.GlobalFilterSpec;
import java.util.concurrent.CompletableFuture;

/**
 * A server's GlobalFilter, resolved for one config generation: its before pipeline, the
 * request's own pipeline, then its after pipeline, as Easegress runs them. A pipeline that
 * ended on a result (END) stops the ones after it unless the GlobalFilter's fallthrough says
 * to go on.
 */
final class GlobalFlow {

    private final Pipeline before;
    private final Pipeline after;
    private final boolean fallthroughBefore;
    private final boolean fallthroughPipeline;

    private GlobalFlow(Pipeline before, Pipeline after, boolean fallthroughBefore, boolean fallthroughPipeline) {
        this.before = before;
        this.after = after;
        this.fallthroughBefore = fallthroughBefore;
        this.fallthroughPipeline = fallthroughPipeline;
    }

    static GlobalFlow of(GlobalFilterSpec spec, Pipelines pipelines) {
        return new GlobalFlow(pipelines.get(GlobalFilterSpec.beforeName(spec.name())), pipelines.get(GlobalFilterSpec.afterName(spec.name())),
                spec.fallthroughBefore(), spec.fallthroughPipeline());
    }

    CompletableFuture<Void> run(Pipeline pipeline, RequestContext context) {
        CompletableFuture<Boolean> first = before == null ? CompletableFuture.completedFuture(false) : before.runToEndAround(pipeline, context);
        return first.thenCompose(beforeEnded -> {
            if (beforeEnded && !fallthroughBefore) {
                return CompletableFuture.completedFuture(true);
            }
            // Falling through, the request's pipeline may answer in place of what the before pipeline answered.
            context.answerMayBeReplaced();
            return pipeline.runToEnd(context);
        }).thenCompose(ended -> {
            if (after == null || ended && !fallthroughPipeline) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            context.answerMayBeReplaced();
            return after.runToEndAround(pipeline, context).thenApply(e -> (Void) null);
        });
    }
}
