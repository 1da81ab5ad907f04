package io.edgegate.spec.pipeline;

import io.edgegate.spec.Names;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.ResiliencePolicies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline: filters and the flow that runs them. {@code HTTPPipeline} (v1) and
 * {@code Pipeline} (v2) share this model; the kind records which format it came from.
 * Without a {@code flow}, the filters run in the order they are listed.
 */
public record PipelineSpec(String name, ObjectKind kind, List<FlowStep> flow, List<FilterSpec> filters, Map<String, Object> data)
        implements ObjectSpec {

    public PipelineSpec {
        flow = List.copyOf(flow);
        filters = List.copyOf(filters);
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    public PipelineSpec(String name, ObjectKind kind, List<FlowStep> flow, List<FilterSpec> filters) {
        this(name, kind, flow, filters, Map.of());
    }

    /** Whether a step works in a namespace other than DEFAULT (Easegress v2). */
    public boolean usesNamespaces() {
        return flow.stream().anyMatch(step -> !step.namespace().isEmpty());
    }

    public Optional<FilterSpec> filter(String filterName) {
        return filters.stream().filter(f -> f.name().equals(filterName)).findFirst();
    }

    public static PipelineSpec decode(String name, ObjectKind kind, SpecObject o, FilterSpecKinds kinds) {
        return decode(name, kind, o, kinds, false);
    }

    /**
     * @param embedded a pipeline inside another object (a GlobalFilter's): its unknown keys are
     *                 reported here, as the object's own
     */
    public static PipelineSpec decode(String name, ObjectKind kind, SpecObject o, FilterSpecKinds kinds, boolean embedded) {
        ResiliencePolicies resilience = ResiliencePolicies.decode(o);
        List<Declared> declared = o.list("filters", n -> Declared.decode(n, kind, kinds));
        if (!o.has("filters") || declared.isEmpty()) {
            o.error("filters", "a pipeline needs at least one filter");
        }
        Map<String, Declared> byName = new HashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            Declared d = declared.get(i);
            if (!d.name.isEmpty() && byName.putIfAbsent(d.name, d) != null) {
                o.error("filters[" + i + "].name", "filter name '" + d.name + "' is used twice");
            }
        }
        List<FlowStep> flow = o.list("flow", n -> FlowStep.decode(n.asObject()));
        if (flow.isEmpty()) {
            flow = declared.stream().map(d -> new FlowStep(d.name, Map.of())).toList();
        } else {
            checkFlow(o, flow, byName);
        }
        List<FilterSpec> filters = new ArrayList<>();
        for (int i = 0; i < declared.size(); i++) {
            FilterSpec spec = declared.get(i).spec;
            if (spec == null) {
                continue;
            }
            try {
                filters.add(spec.withResilience(resilience));
            } catch (IllegalArgumentException e) {
                o.error("filters[" + i + "]", e.getMessage());
            }
        }
        Map<String, Object> data = Map.of();
        if (o.has("data")) {
            o.object("data");
            Object plain = o.field("data").asPlainValue();
            if (plain instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> values = (Map<String, Object>) map;
                data = values;
            }
        }
        if (embedded) {
            o.finish();
        }
        return new PipelineSpec(name, kind, flow, filters, data);
    }

    private static void checkFlow(SpecObject o, List<FlowStep> flow, Map<String, Declared> byName) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < flow.size(); i++) {
            position.putIfAbsent(flow.get(i).id(), i);
            if (flow.get(i).alias().equals(FlowStep.END)) {
                o.error("flow[" + i + "].alias", "END ends the flow and cannot be an alias");
            }
        }
        for (int i = 0; i < flow.size(); i++) {
            FlowStep step = flow.get(i);
            String at = "flow[" + i + "]";
            if (step.isEnd()) {
                continue;
            }
            Declared d = byName.get(step.filter());
            if (d == null) {
                o.error(at + ".filter", "filter '" + step.filter() + "' is not defined in filters (defined: "
                        + String.join(", ", byName.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            for (Map.Entry<String, String> jump : step.jumpIf().entrySet()) {
                String result = jump.getKey();
                String target = jump.getValue();
                // An empty result (success) may jump too, as in Easegress: "": target skips the steps between.
                if (d.kind != null && !result.isEmpty() && !d.kind.results().contains(result)) {
                    o.error(at + ".jumpIf." + result, "filter '" + d.name + "' (" + d.kind.kind()
                            + ") never returns '" + result + "' (its results: "
                            + String.join(", ", d.kind.results().stream().sorted().toList()) + ")");
                }
                if (target.equals(FlowStep.END)) {
                    continue;
                }
                // As Easegress: the target is a step after this one; steps before it may share its name.
                long after = flow.subList(i + 1, flow.size()).stream().filter(s -> s.id().equals(target)).count();
                Integer targetAt = position.get(target);
                if (after > 1) {
                    o.error(at + ".jumpIf." + result, "jump target '" + target + "' names " + after
                            + " steps after it in the flow; give each an alias of its own");
                } else if (after == 1) {
                    continue;
                } else if (targetAt == null) {
                    o.error(at + ".jumpIf." + result, "jump target '" + target + "' is not a step of the flow "
                            + "(expected: a filter name from the flow, or END)");
                } else if (targetAt <= i) {
                    o.error(at + ".jumpIf." + result, "jump target '" + target
                            + "' must come after '" + step.id() + "' in the flow (a backward jump would loop)");
                }
            }
        }
    }

    /** A filter as declared, kept even when its spec has errors so the flow check does not repeat them. */
    private record Declared(String name, FilterSpecKind kind, FilterSpec spec) {

        static Declared decode(SpecNode node, ObjectKind pipelineKind, FilterSpecKinds kinds) {
            SpecObject f = node.asObject();
            String name = Names.read(f, "name");
            String kindName = f.requiredString("kind");
            Optional<FilterSpecKind> kind = kinds.get(kindName);
            if (kind.isEmpty()) {
                if (!kindName.isEmpty()) {
                    f.error("kind", kinds.unknownKindMessage(kindName));
                }
                return new Declared(name, null, null);
            }
            int errorsBefore = f.context().errorCount();
            io.edgegate.spec.MetaFields.read(f);
            FilterSpec spec = kind.get().decoder().decode(name, f, pipelineKind);
            f.finish();
            return new Declared(name, kind.get(), f.context().errorCount() == errorsBefore ? spec : null);
        }
    }
}
