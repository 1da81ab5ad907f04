package io.edgegate.spec.filter.validator;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.server.Regexps;
import java.util.List;
import java.util.Optional;

/** A Validator header rule: the header's value must be one of {@code values} or match {@code regexp}. */
public record HeaderRuleSpec(List<String> values, Optional<String> regexp) {

    public HeaderRuleSpec {
        values = List.copyOf(values);
    }

    static HeaderRuleSpec decode(SpecObject o) {
        List<String> values = o.stringList("values");
        Optional<String> regexp = o.optionalString("regexp").filter(r -> !r.isEmpty());
        regexp.ifPresent(r -> Regexps.check(r, o, "regexp"));
        if (values.isEmpty() && regexp.isEmpty()) {
            o.error("set values or regexp (a rule with neither lets nothing through)");
        }
        o.finish();
        return new HeaderRuleSpec(values, regexp);
    }
}
