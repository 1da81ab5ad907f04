package io.edgegate.dataplane.pipeline;

import io.edgegate.spec.pipeline.FlowStep;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a flow of filters. Each step's result either moves to the next step or, through
 * {@code jumpIf}, to a later step or to the end. Jump targets were resolved to step indexes
 * when the pipeline was built, so the hot path does no map lookups by name.
 */
public final class Pipeline {

    private final String name;
    private final Step[] steps;

    Pipeline(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps.toArray(Step[]::new);
    }

    public String name() {
        return name;
    }

    /** Completes when the flow ended; fails with {@link FilterFailure} if a filter threw or failed. */
    public CompletableFuture<Void> run(RequestContext context) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        runFrom(0, context, done);
        return done;
    }

    private void runFrom(int index, RequestContext context, CompletableFuture<Void> done) {
        int at = index;
        while (at < steps.length) {
            Step step = steps[at];
            CompletableFuture<String> result;
            try {
                result = step.filter().handle(context).toCompletableFuture();
            } catch (RuntimeException e) {
                done.completeExceptionally(new FilterFailure(step.filterName(), e));
                return;
            }
            if (result.isDone() && !result.isCompletedExceptionally()) {
                // Synchronous filters continue in this loop: no callback, no allocation.
                at = step.next(result.join());
                continue;
            }
            int current = at;
            result.whenComplete((value, error) -> {
                if (error != null) {
                    done.completeExceptionally(new FilterFailure(step.filterName(), error));
                } else {
                    runFrom(steps[current].next(value), context, done);
                }
            });
            return;
        }
        done.complete(null);
    }

    /** A resolved flow step: the filter, the step after it, and where each jumpIf result goes. */
    record Step(String filterName, Filter filter, int nextIndex, Map<String, Integer> jumps) {

        static final int END = Integer.MAX_VALUE;

        int next(String result) {
            if (result == null || result.isEmpty()) {
                return nextIndex;
            }
            Integer target = jumps.get(result);
            return target == null ? nextIndex : target;
        }
    }

    /** Targets of a flow, resolved: step index by filter name (first occurrence), END past the last. */
    static int resolve(String target, List<FlowStep> flow) {
        if (FlowStep.END.equals(target)) {
            return Step.END;
        }
        for (int i = 0; i < flow.size(); i++) {
            if (flow.get(i).filter().equals(target)) {
                return i;
            }
        }
        throw new IllegalArgumentException("jump target '" + target + "' is not in the flow");
    }
}
