package io.edgegate.dataplane.pipeline;

import io.edgegate.async.Causes;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.edgegate.spec.pipeline.FlowStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a flow of filters, with Easegress's rule for results: an empty result moves to the next
 * step; a result the step's {@code jumpIf} names moves to that step (or ends the flow on
 * {@code END}); any other result ends the flow. So a filter that refuses a request (a Validator
 * answering 401 with {@code invalid}) stops it even when the operator wrote no {@code jumpIf}.
 * Jump targets were resolved to step indexes when the pipeline was built, so the hot path does
 * no map lookups by name.
 */
public final class Pipeline {

    private final String name;
    private final Step[] steps;
    /** The pipeline's {@code data}, which templates see as {@code .data.PIPELINE}; null when it has none. */
    private final Map<String, Object> data;
    /** Whether a step names a namespace: only then does the engine switch namespaces per step. */
    private final boolean namespaced;
    /** The status of a request whose flow ended with no response set (see {@link #unansweredStatus}). */
    private final HttpResponseStatus unanswered;

    Pipeline(String name, List<Step> steps) {
        this(name, steps, Map.of(), HttpResponseStatus.OK);
    }

    Pipeline(String name, List<Step> steps, Map<String, Object> data, HttpResponseStatus unanswered) {
        this.name = name;
        this.steps = steps.toArray(Step[]::new);
        this.data = data.isEmpty() ? null : data;
        this.namespaced = steps.stream().anyMatch(step -> !step.namespace().isEmpty());
        this.unanswered = unanswered;
    }

    public String name() {
        return name;
    }

    /**
     * What a client gets when the flow ended and no filter set a response (a ResultBuilder jumping to
     * END, say): Easegress v2 (Pipeline) answers 503, its v1 HTTPPipeline 200 with an empty body.
     */
    public HttpResponseStatus unansweredStatus() {
        return unanswered;
    }

    /** Completes when the flow ended; fails with {@link FilterFailure} if a filter threw or failed. */
    public CompletableFuture<Void> run(RequestContext context) {
        return run(context, data);
    }

    /**
     * Runs this flow with {@code pipelineData} as {@code .data.PIPELINE}. Each run starts in DEFAULT: a flow whose
     * steps name no namespace works there, whatever namespace a pipeline before it (a GlobalFilter's) ended in.
     */
    private CompletableFuture<Void> run(RequestContext context, Map<String, Object> pipelineData) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (pipelineData != null) {
            context.putData("PIPELINE", pipelineData);
        }
        context.useNamespace("");
        context.flowEndedOnResult(false);
        runFrom(0, context, done);
        return done;
    }

    /**
     * As {@link #run}, completing with whether the flow ended on END (a result no jumpIf took, a
     * jump to END, or an END step) rather than by running past its last step: what a GlobalFilter
     * decides by.
     */
    public CompletableFuture<Boolean> runToEnd(RequestContext context) {
        return run(context).thenApply(done -> context.flowEndedOnResult());
    }

    /**
     * As {@link #runToEnd}, for a GlobalFilter's before or after pipeline around {@code main}: as Easegress runs
     * them, within the request's pipeline, whose {@code data} they see as {@code .data.PIPELINE} (not their own).
     */
    public CompletableFuture<Boolean> runToEndAround(Pipeline main, RequestContext context) {
        return run(context, main.data).thenApply(done -> context.flowEndedOnResult());
    }

    private void runFrom(int index, RequestContext context, CompletableFuture<Void> done) {
        int at = index;
        while (at < steps.length) {
            Step step = steps[at];
            CompletableFuture<String> result;
            try {
                if (namespaced) {
                    context.useNamespace(step.namespace());
                }
                context.enterStep(step.filterName());
                result = step.filter().handle(context).toCompletableFuture();
            } catch (RuntimeException e) {
                fail(step, e, done);
                return;
            }
            if (result.isDone() && !result.isCompletedExceptionally()) {
                // Synchronous filters continue in this loop: no callback, no allocation.
                String value = result.join();
                context.trace().filterResult(step.filterName(), value);
                context.noteResult(value);
                if (!step.declares(value)) {
                    fail(step, step.undeclared(value), done);
                    return;
                }
                step.count(value);
                at = step.next(value, context);
                if (at == Step.END) {
                    context.flowEndedOnResult(true);
                    if (value != null && !value.isEmpty()) {
                        context.endedBy(step.filterName(), value);
                    }
                }
                continue;
            }
            result.whenComplete((value, error) -> {
                context.trace().filterResult(step.filterName(), error != null ? "failed" : value);
                context.noteResult(value);
                if (error != null) {
                    fail(step, error, done);
                } else if (!step.declares(value)) {
                    fail(step, step.undeclared(value), done);
                } else {
                    step.count(value);
                    int next = step.next(value, context);
                    if (next == Step.END) {
                        context.flowEndedOnResult(true);
                        if (value != null && !value.isEmpty()) {
                            context.endedBy(step.filterName(), value);
                        }
                    }
                    runFrom(next, context, done);
                }
            });
            return;
        }
        done.complete(null);
    }

    private static void fail(Step step, Throwable error, CompletableFuture<Void> done) {
        Throwable cause = Causes.unwrap(error);
        step.failures().record(cause);
        done.completeExceptionally(new FilterFailure(step.filterName(), cause));
    }

    /**
     * A resolved flow step: the filter, the step after it, where each jumpIf result goes, the
     * results its kind declares, the counter of its failures and one counter per declared result.
     */
    record Step(String filterName, Filter filter, int nextIndex, Map<String, Integer> jumps, Set<String> results,
                FilterFailures.Counter failures, Map<String, io.micrometer.core.instrument.Counter> resultCounters,
                String namespace) {

        static final int END = Integer.MAX_VALUE;

        Step(String filterName, Filter filter, int nextIndex, Map<String, Integer> jumps, Set<String> results,
             FilterFailures.Counter failures, Map<String, io.micrometer.core.instrument.Counter> resultCounters) {
            this(filterName, filter, nextIndex, jumps, results, failures, resultCounters, "");
        }

        /**
         * Whether the filter may return {@code result}: success, or one its kind declares. The one
         * place results are checked: an undeclared one would slip past every jumpIf check made at load.
         */
        boolean declares(String result) {
            return result == null || result.isEmpty() || results.contains(result);
        }

        /** Counts a result (success is not counted: the request counters hold it). */
        void count(String result) {
            if (result != null && !result.isEmpty()) {
                io.micrometer.core.instrument.Counter counter = resultCounters.get(result);
                if (counter != null) {
                    counter.increment();
                }
            }
        }

        IllegalStateException undeclared(String result) {
            return new IllegalStateException("returned the result '" + result + "', which its kind does not declare (declared: "
                    + String.join(", ", results.stream().sorted().toList()) + ")");
        }

        /** Where the flow goes on {@code result}: on, to a jump target, or to the end. */
        int next(String result, RequestContext context) {
            if (result == null || result.isEmpty()) {
                // Success goes on, or where a jumpIf of the empty result sends it (Easegress's "": target).
                Integer onSuccess = jumps.isEmpty() ? null : jumps.get("");
                return onSuccess == null ? nextIndex : onSuccess;
            }
            Integer target = jumps.get(result);
            if (target == null || target == END) {
                return END;
            }
            // The operator sent this result elsewhere: what that step answers replaces this one's answer.
            context.answerMayBeReplaced();
            return target;
        }
    }

    /** The first step after {@code from} whose name or alias is {@code target}, as Easegress skips forward to it. */
    static int resolve(String target, List<FlowStep> flow, int from) {
        if (FlowStep.END.equals(target)) {
            return Step.END;
        }
        for (int i = from + 1; i < flow.size(); i++) {
            if (flow.get(i).id().equals(target)) {
                return i;
            }
        }
        throw new IllegalArgumentException("jump target '" + target + "' is not in the flow");
    }
}
