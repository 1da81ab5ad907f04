package io.edgegate.spec.pipeline;

import io.edgegate.spec.codec.SpecObject;
import java.util.Map;

/** One step of a pipeline's flow: the filter to run and where to go on which result. */
public record FlowStep(String filter, Map<String, String> jumpIf) {

    /** Target that ends the flow; also usable as a step of its own. */
    public static final String END = "END";

    public FlowStep {
        jumpIf = Map.copyOf(jumpIf);
    }

    public boolean isEnd() {
        return END.equals(filter);
    }

    static FlowStep decode(SpecObject o) {
        String filter = o.requiredString("filter");
        Map<String, String> jumpIf = o.stringMap("jumpIf");
        o.finish();
        return new FlowStep(filter, jumpIf);
    }
}
