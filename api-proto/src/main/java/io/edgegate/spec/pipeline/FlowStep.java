package io.edgegate.spec.pipeline;

import io.edgegate.spec.codec.SpecObject;
import java.util.Map;

/**
 * One step of a pipeline's flow: the filter to run, the namespace whose request and response it
 * works on (Easegress v2; empty is {@code DEFAULT}), the alias that names this step when one
 * filter runs at several steps, and where to go on which result.
 */
public record FlowStep(String filter, Map<String, String> jumpIf, String namespace, String alias) {

    /** Target that ends the flow; also usable as a step of its own. */
    public static final String END = "END";
    /** The namespace of the client's request and of the response it gets. */
    public static final String DEFAULT_NAMESPACE = "DEFAULT";

    public FlowStep {
        jumpIf = Map.copyOf(jumpIf);
        namespace = namespace.equals(DEFAULT_NAMESPACE) ? "" : namespace;
    }

    public FlowStep(String filter, Map<String, String> jumpIf) {
        this(filter, jumpIf, "", "");
    }

    public boolean isEnd() {
        return END.equals(filter);
    }

    /** What jumps name this step by: its alias, or its filter's name. */
    public String id() {
        return alias.isEmpty() ? filter : alias;
    }

    static FlowStep decode(SpecObject o) {
        String filter = o.requiredString("filter");
        Map<String, String> jumpIf = o.stringMap("jumpIf");
        String namespace = o.string("namespace", "");
        String alias = o.string("alias", "");
        o.finish();
        return new FlowStep(filter, jumpIf, namespace, alias);
    }
}
