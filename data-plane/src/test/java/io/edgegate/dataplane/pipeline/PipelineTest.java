package io.edgegate.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.net.ClientAddresses;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.FlowStep;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flow engine with a test filter kind that records its calls and returns a configured result. */
class PipelineTest {

    /** A filter that records that it ran, answers with {@code answer} when it is not 0, and returns {@code result}. */
    record MarkSpec(String name, String result, boolean async, int answer) implements FilterSpec {

        MarkSpec(String name, String result, boolean async) {
            this(name, result, async, 0);
        }

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
            if (spec.answer() != 0) {
                context.respond(HttpResponseStatus.valueOf(spec.answer()), spec.name());
            }
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

    private final FilterFailures failures = new FilterFailures();
    private final PipelineBuilder builder = new PipelineBuilder(
            new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of(factory)), failures);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final RequestContext context = new RequestContext(
            new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), BodyStream.EMPTY, channel,
            new InetSocketAddress("127.0.0.1", 40000), new ServerSettings("s", false, ClientAddresses.trusting(List.of())),
            new RequestContext.Connection("http", false));

    private static PipelineSpec pipeline(List<FlowStep> flow, MarkSpec... filters) {
        return new PipelineSpec("p", ObjectKind.PIPELINE, flow, List.of(filters));
    }

    private void run(PipelineBuilder.Generation generation) {
        generation.pipelines().get("p").run(context).join();
    }

    private static FlowStep step(String filter) {
        return new FlowStep(filter, Map.of());
    }

    @AfterEach
    void releaseAnswer() {
        if (context.response() != null) {
            context.takeResponse().body().discard();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void aResultThatJumpIfDoesNotNameEndsTheFlowAsInEasegress() {
        // A refusing filter with no jumpIf at all: nothing after it runs.
        PipelineSpec spec = pipeline(List.of(step("door"), step("proxy")),
                new MarkSpec("door", "stop", false, 401), new MarkSpec("proxy", "", false, 200));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("door");
        assertThat(context.response().head().status().code()).isEqualTo(401);
    }

    @Test
    void aResultJumpIfNamesForAnotherResultStillEnds() {
        PipelineSpec spec = pipeline(List.of(new FlowStep("door", Map.of("skip", "proxy")), step("proxy")),
                new MarkSpec("door", "stop", true, 401), new MarkSpec("proxy", "", false, 200));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("door");
    }

    @Test
    void anEmptyResultGoesOnToTheNextStep() {
        PipelineSpec spec = pipeline(List.of(step("a"), step("b")), new MarkSpec("a", "", true), new MarkSpec("b", "", false));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void theFilterAJumpLeadsToAnswersInsteadOfTheOneThatJumped() {
        PipelineSpec spec = pipeline(List.of(new FlowStep("door", Map.of("stop", "fallback")), step("proxy"), step("fallback")),
                new MarkSpec("door", "stop", false, 401), new MarkSpec("proxy", "", false, 200),
                new MarkSpec("fallback", "", false, 418));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("door", "fallback");
        assertThat(context.response().head().status().code()).isEqualTo(418);
        assertThat(failures.secondAnswers()).isZero();
    }

    @Test
    void aSecondAnswerWithoutAJumpFailsTheFilterAndIsCounted() {
        // The flow goes on after an answer that returned no result: the next answer is refused, loudly.
        PipelineSpec spec = pipeline(List.of(step("files"), step("proxy")),
                new MarkSpec("files", "", false, 200), new MarkSpec("proxy", "", true, 502));
        PipelineBuilder.Generation generation = builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY);

        assertThatThrownBy(() -> run(generation))
                .hasCauseInstanceOf(FilterFailure.class)
                .hasMessageContaining("filter 'proxy' answered a request that filter 'files' had already answered");
        assertThat(context.response().head().status().code()).as("the first answer stands").isEqualTo(200);
        assertThat(failures.secondAnswers()).isEqualTo(1);
        assertThat(generation.liveStatus().get("p"))
                .containsExactly("proxy (Mark): failed 1 time; last: filter 'proxy' answered a request that filter 'files' "
                        + "had already answered; end the flow after 'files' (END or jumpIf)");
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

    /** As Easegress: a jump goes to the first step after it with the target's name, even when a step before has it too. */
    @Test
    void aJumpGoesForwardToTheStepAfterItOfThatName() {
        PipelineSpec spec = pipeline(List.of(
                        new FlowStep("c", Map.of()),
                        new FlowStep("a", Map.of("skip", "c")),
                        new FlowStep("b", Map.of()),
                        new FlowStep("c", Map.of())),
                new MarkSpec("a", "skip", false), new MarkSpec("b", "", false), new MarkSpec("c", "", false));

        run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY));

        assertThat(ran).containsExactly("c", "a", "c");
    }

    @Test
    void aJumpOnTheEmptyResultSendsSuccessElsewhereAsInEasegress() {
        PipelineSpec spec = pipeline(List.of(
                        new FlowStep("a", Map.of("", "c")),
                        new FlowStep("b", Map.of()),
                        new FlowStep("c", Map.of())),
                new MarkSpec("a", "", false), new MarkSpec("b", "", false), new MarkSpec("c", "", false));

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
    void aResultTheKindDoesNotDeclareFailsTheFilterInsteadOfSlippingPastJumpIf() {
        for (boolean async : new boolean[] {false, true}) {
            ran.clear();
            PipelineSpec spec = pipeline(List.of(new FlowStep("a", Map.of("stop", "b")), step("b")),
                    new MarkSpec("a", "oops", async), new MarkSpec("b", "", false));

            assertThatThrownBy(() -> run(builder.build(List.of(spec), PipelineBuilder.Generation.EMPTY)))
                    .hasCauseInstanceOf(FilterFailure.class)
                    .hasMessageContaining("filter 'a' failed")
                    .hasMessageContaining("returned the result 'oops', which its kind does not declare (declared: skip, stop)");
            assertThat(ran).containsExactly("a");
        }
    }

    @Test
    void aThrowingFilterFailsTheRunWithItsName() {
        FilterFactory<MarkSpec> throwing = factory(spec -> context -> {
            throw new IllegalStateException("boom");
        });
        PipelineBuilder b = new PipelineBuilder(new FilterRegistry(new FilterSpecKinds(List.of(MARK)), List.of(throwing)), failures);
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
