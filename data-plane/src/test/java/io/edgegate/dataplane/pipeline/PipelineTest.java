package io.edgegate.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.FlowStep;
import io.edgegate.spec.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The flow engine with a test filter kind that records its calls and returns a configured result. */
class PipelineTest {

    /** A filter that returns {@code result} and records that it ran. */
    record MarkSpec(String name, String result, boolean async) implements FilterSpec {
        @Override
        public String kind() {
            return "Mark";
        }
    }

    private static final FilterSpecKind MARK = new FilterSpecKind("Mark", Set.of("skip", "stop"),
            (String name, SpecObject o, ObjectKind k) -> new MarkSpec(name, "", false));

    private final List<String> ran = new ArrayList<>();

    private final FilterFactory<MarkSpec> factory = factory(spec -> new Filter() {
        @Override
        public CompletionStage<String> handle(RequestContext context) {
            ran.add(spec.name());
            return spec.async()
                    ? CompletableFuture.supplyAsync(spec::result)
                    : CompletableFuture.completedFuture(spec.result());
        }
    });

    private static FilterFactory<MarkSpec> factory(java.util.function.Function<MarkSpec, Filter> create) {
        return new FilterFactory<>() {
            @Override
            public String kind() {
                return "Mark";
            }

            @Override
            public Class<MarkSpec> specType() {
                return MarkSpec.class;
            }

            @Override
            public Filter create(MarkSpec spec) {
                return create.apply(spec);
            }
        };
    }

    private final PipelineBuilder builder = new PipelineBuilder(
            new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of(factory)));

    private static PipelineSpec pipeline(List<FlowStep> flow, MarkSpec... filters) {
        return new PipelineSpec("p", ObjectKind.PIPELINE, flow, List.of(filters));
    }

    private void run(PipelineBuilder.Generation generation) {
        generation.pipelines().get("p").run(null).join();
    }

    @Test
    void jumpIfSkipsAheadAndEndStops() {
        PipelineSpec spec = pipeline(List.of(
                        new FlowStep("a", Map.of("skip", "c")),
                        new FlowStep("b", Map.of()),
                        new FlowStep("c", Map.of("stop", FlowStep.END)),
                        new FlowStep("d", Map.of())),
                new MarkSpec("a", "skip", false), new MarkSpec("b", "", false),
                new MarkSpec("c", "stop", true), new MarkSpec("d", "", false));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("a", "c");
    }

    @Test
    void endAsAStepEndsTheFlow() {
        PipelineSpec spec = pipeline(List.of(new FlowStep("a", Map.of()), new FlowStep(FlowStep.END, Map.of()),
                new FlowStep("b", Map.of())), new MarkSpec("a", "", false), new MarkSpec("b", "", false));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("a");
    }

    @Test
    void unchangedFiltersAreInheritedAndChangedOnesRetired() {
        MarkSpec a = new MarkSpec("a", "", false);
        PipelineSpec first = pipeline(List.of(new FlowStep("a", Map.of()), new FlowStep("b", Map.of())), a, new MarkSpec("b", "", false));
        PipelineBuilder.Generation one = builder.build(List.of(first), PipelineBuilder.Generation.EMPTY);

        PipelineSpec second = pipeline(List.of(new FlowStep("a", Map.of()), new FlowStep("b", Map.of())), a, new MarkSpec("b", "skip", false));
        PipelineBuilder.Generation two = builder.build(List.of(second), one);

        assertThat(two.createdHere()).hasSize(1);
        assertThat(two.retired()).hasSize(1).doesNotContainAnyElementsOf(two.createdHere());
        assertThat(one.createdHere()).containsAll(two.retired());
    }

    @Test
    void aThrowingFilterFailsTheRunWithItsName() {
        FilterFactory<MarkSpec> throwing = factory(spec -> context -> {
            throw new IllegalStateException("boom");
        });
        PipelineBuilder b = new PipelineBuilder(new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of(throwing)));
        PipelineSpec spec = pipeline(List.of(new FlowStep("a", Map.of())), new MarkSpec("a", "", false));

        assertThatThrownBy(() -> run(b.build(List.of(spec), PipelineBuilder.Generation.EMPTY)))
                .hasCauseInstanceOf(FilterFailure.class)
                .hasMessageContaining("filter 'a' failed");
    }

    @Test
    void theRegistryRefusesMissingAndDuplicateKinds() {
        assertThatThrownBy(() -> new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of()))
                .hasMessageContaining("no filter factory for kinds [Mark]");
        assertThatThrownBy(() -> new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of(factory, factory)))
                .hasMessageContaining("registered twice");
    }
}
