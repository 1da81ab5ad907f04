package io.edgegate.spec.globalfilter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.PipelineSpec;
import java.util.Optional;

/**
 * GlobalFilter (Easegress): a {@code beforePipeline} run before, and an {@code afterPipeline}
 * run after, the pipeline of every request of the HTTPServers that name it in
 * {@code globalFilter}. A pipeline that ends on a result (END) stops what follows, unless
 * {@code fallthrough.beforePipeline} / {@code fallthrough.pipeline} says to go on.
 */
public record GlobalFilterSpec(String name, Optional<PipelineSpec> beforePipeline, Optional<PipelineSpec> afterPipeline,
                               boolean fallthroughBefore, boolean fallthroughPipeline) implements ObjectSpec {

    @Override
    public ObjectKind kind() {
        return ObjectKind.GLOBAL_FILTER;
    }

    /** The name its before pipeline runs under on a node (no pipeline of a user can have it: names have no '/'). */
    public static String beforeName(String globalFilter) {
        return globalFilter + "/beforePipeline";
    }

    public static String afterName(String globalFilter) {
        return globalFilter + "/afterPipeline";
    }

    public static GlobalFilterSpec decode(String name, SpecObject o, FilterSpecKinds kinds) {
        Optional<PipelineSpec> before = o.object("beforePipeline")
                .map(p -> PipelineSpec.decode(beforeName(name), ObjectKind.PIPELINE, p, kinds, true));
        Optional<PipelineSpec> after = o.object("afterPipeline")
                .map(p -> PipelineSpec.decode(afterName(name), ObjectKind.PIPELINE, p, kinds, true));
        boolean fallBefore = false;
        boolean fallPipeline = false;
        Optional<SpecObject> fallthrough = o.object("fallthrough");
        if (fallthrough.isPresent()) {
            fallBefore = fallthrough.get().bool("beforePipeline", false);
            fallPipeline = fallthrough.get().bool("pipeline", false);
            fallthrough.get().finish();
        }
        if (before.isEmpty() && after.isEmpty()) {
            o.error("a GlobalFilter needs a beforePipeline or an afterPipeline");
        }
        return new GlobalFilterSpec(name, before, after, fallBefore, fallPipeline);
    }
}
