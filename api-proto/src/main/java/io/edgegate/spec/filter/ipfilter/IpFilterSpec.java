package io.edgegate.spec.filter.ipfilter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Set;

/**
 * The IPFilter filter: the same rules as an HTTPServer's {@code ipFilter}, inside a pipeline.
 * A refused client gets 403 and the result {@code blocked}.
 */
public record IpFilterSpec(String name, IpFilterRules rules) implements FilterSpec {

    public static final String KIND = "IPFilter";
    public static final String RESULT_BLOCKED = "blocked";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_BLOCKED), IpFilterSpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static IpFilterSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        return new IpFilterSpec(name, IpFilterRules.readFields(o));
    }
}
