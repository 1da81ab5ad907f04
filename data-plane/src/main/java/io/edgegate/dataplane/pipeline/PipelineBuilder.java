package io.edgegate.dataplane.pipeline;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FlowStep;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.micrometer.core.instrument.Counter;
import io.edgegate.dataplane.metrics.UpstreamStates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.edgegate.spec.ObjectKind;
import java.util.Collections;
import java.util.Comparator;
import java.util.TreeMap;

/**
 * Builds the pipelines of a new config generation. A filter whose spec did not change is
 * inherited from the previous generation, state and all (rate-limit buckets, counters,
 * pools); only new or changed filters are created. After the new generation is in service,
 * {@link Generation#retired()} lists the filters it no longer uses, to be closed.
 */
public final class PipelineBuilder {

    private final FilterRegistry registry;
    private final FilterFailures failures;
    private final MeterRegistry meters;
    private final UpstreamStates upstreamStates;

    public PipelineBuilder(FilterRegistry registry, FilterFailures failures) {
        this(registry, failures, new SimpleMeterRegistry());
    }

    /** @param meters where each step counts its results ({@code edgegate_filter_results_total}) */
    public PipelineBuilder(FilterRegistry registry, FilterFailures failures, MeterRegistry meters) {
        this(registry, failures, meters, new UpstreamStates(meters));
    }

    /** @param upstreamStates where Proxies report their pools' servers and circuits */
    public PipelineBuilder(FilterRegistry registry, FilterFailures failures, MeterRegistry meters, UpstreamStates upstreamStates) {
        this.registry = registry;
        this.failures = failures;
        this.meters = meters;
        this.upstreamStates = upstreamStates;
    }

    public Generation build(List<PipelineSpec> specs, Generation previous) {
        Map<String, Pipeline> pipelines = new HashMap<>();
        Map<FilterKey, BuiltFilter> filters = new HashMap<>();
        List<Filter> created = new ArrayList<>();
        try {
            for (PipelineSpec spec : specs) {
                List<Pipeline.Step> steps = new ArrayList<>();
                List<FlowStep> flow = spec.flow();
                for (int i = 0; i < flow.size(); i++) {
                    FlowStep step = flow.get(i);
                    if (step.isEnd()) {
                        steps.add(new Pipeline.Step(FlowStep.END, context -> FilterResults.success(), Pipeline.Step.END, Map.of(),
                                Set.of(), failures.counterFor(new FilterKey(spec.name(), FlowStep.END)), Map.of()));
                        continue;
                    }
                    FilterSpec filterSpec = spec.filter(step.filter()).orElseThrow(() ->
                            new IllegalArgumentException("flow names undefined filter " + step.filter()));
                    FilterKey key = new FilterKey(spec.name(), filterSpec.name());
                    BuiltFilter built = filters.get(key);
                    if (built == null) {
                        BuiltFilter old = previous.filters.get(key);
                        boolean v1 = spec.kind() == ObjectKind.HTTP_PIPELINE;
                        if (old != null && old.spec.equals(filterSpec) && old.inV1Pipeline == v1) {
                            built = old;
                        } else {
                            built = new BuiltFilter(filterSpec, registry.create(filterSpec, new FilterScope(spec.name(), meters, upstreamStates,
                                    v1)), v1);
                            created.add(built.filter);
                        }
                        filters.put(key, built);
                    }
                    Map<String, Integer> jumps = new HashMap<>();
                    int at = i;
                    step.jumpIf().forEach((result, target) -> jumps.put(result, Pipeline.resolve(target, flow, at)));
                    // Past the last step is flow.size(), not END: running off the end is not ending on a result.
                    int next = i + 1;
                    Set<String> results = registry.results(filterSpec.kind());
                    steps.add(new Pipeline.Step(step.id(), built.filter, next, Map.copyOf(jumps),
                            results, failures.counterFor(key), resultCounters(spec.name(), filterSpec.name(), results), step.namespace()));
                }
                pipelines.put(spec.name(), new Pipeline(spec.name(), steps, spec.data(),
                        spec.kind() == ObjectKind.HTTP_PIPELINE ? HttpResponseStatus.OK
                                : HttpResponseStatus.SERVICE_UNAVAILABLE));
            }
        } catch (RuntimeException e) {
            // Nothing of a failed build goes into service; close what it created.
            created.forEach(Filter::close);
            throw e;
        }
        return new Generation(new Pipelines(pipelines), filters, previous, failures);
    }

    /** One counter per result the filter's kind declares, made with the pipeline, so counting allocates nothing. */
    private Map<String, Counter> resultCounters(String pipeline, String filter, Set<String> results) {
        Map<String, Counter> counters = new HashMap<>();
        for (String result : results) {
            counters.put(result, Counter.builder("edgegate.filter.results")
                    .description("Results filters returned (a refusal such as invalid or rateLimited, or a jump)")
                    .tags("pipeline", pipeline, "filter", filter, "result", result).register(meters));
        }
        return Map.copyOf(counters);
    }

    /** Filters are identified by pipeline and filter name. */
    record FilterKey(String pipeline, String filter) {
    }

    /** {@code inV1Pipeline}: the filter behaves as Easegress v1's (some results differ), so it is not kept across a change of kind. */
    private record BuiltFilter(FilterSpec spec, Filter filter, boolean inV1Pipeline) {
    }

    /** The pipelines and filters of one config generation. */
    public static final class Generation {

        public static final Generation EMPTY = new Generation(Pipelines.EMPTY, Map.of(), null, new FilterFailures());

        private final Pipelines pipelines;
        private final Map<FilterKey, BuiltFilter> filters;
        private final Generation previous;
        private final FilterFailures failures;

        private Generation(Pipelines pipelines, Map<FilterKey, BuiltFilter> filters, Generation previous, FilterFailures failures) {
            this.pipelines = pipelines;
            this.filters = Map.copyOf(filters);
            this.previous = previous;
            this.failures = failures;
        }

        public Pipelines pipelines() {
            return pipelines;
        }

        /** Filters of the previous generation that this one did not inherit. */
        public List<Filter> retired() {
            if (previous == null) {
                return List.of();
            }
            Set<Filter> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            filters.values().forEach(b -> kept.add(b.filter));
            List<Filter> out = new ArrayList<>();
            Set<Filter> seen = new HashSet<>();
            for (BuiltFilter old : previous.filters.values()) {
                if (!kept.contains(old.filter) && seen.add(old.filter)) {
                    out.add(old.filter);
                }
            }
            return out;
        }

        /** Filters this generation created itself, to close if it is abandoned before service. */
        public List<Filter> createdHere() {
            Set<Filter> inherited = Collections.newSetFromMap(new IdentityHashMap<>());
            if (previous != null) {
                previous.filters.values().forEach(b -> inherited.add(b.filter));
            }
            return filters.values().stream().map(b -> b.filter).filter(f -> !inherited.contains(f)).distinct().toList();
        }

        /** Each pipeline's filters that report a live state: pipeline name → "filter (Kind): line" lines. */
        public Map<String, List<String>> liveStatus() {
            Map<String, List<String>> out = new TreeMap<>();
            filters.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<FilterKey, BuiltFilter> e) -> e.getKey().pipeline())
                            .thenComparing(e -> e.getKey().filter()))
                    .forEach(e -> {
                        List<String> lines = new ArrayList<>(e.getValue().filter().status());
                        lines.addAll(failures.counterFor(e.getKey()).status());
                        for (String line : lines) {
                            out.computeIfAbsent(e.getKey().pipeline(), k -> new ArrayList<>())
                                    .add(e.getKey().filter() + " (" + e.getValue().spec().kind() + "): " + line);
                        }
                    });
            return out;
        }

        /** Forgets the previous generation once it has been retired, so it can be collected. */
        public Generation detached() {
            failures.retainOnly(filters.keySet());
            return new Generation(pipelines, filters, null, failures);
        }
    }
}
