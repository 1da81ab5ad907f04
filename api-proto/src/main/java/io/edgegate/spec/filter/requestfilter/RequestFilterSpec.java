package io.edgegate.spec.filter.requestfilter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import io.edgegate.spec.server.Regexps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The RequestFilter filter (EdgeGate's, a basic web application firewall): a request is
 * refused with 403 and the result {@code blocked} when one of its {@code rules} matches — a
 * regexp on the decoded path, the decoded query, named headers, or the body (read when its
 * length is known and at most {@code maxBodyBytes}) — or, with {@code builtInRules} (default
 * on), when it carries a common SQL-injection, cross-site-scripting or path-traversal probe.
 * Every refusal is logged with the rule's name.
 */
public record RequestFilterSpec(String name, List<Rule> rules, boolean builtInRules, long maxBodyBytes) implements FilterSpec {

    public static final String KIND = "RequestFilter";
    public static final String RESULT_BLOCKED = "blocked";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_BLOCKED), RequestFilterSpec::decode);

    /** One deny rule; every part given must match (they are ANDed). */
    public record Rule(String name, Optional<String> path, Optional<String> query, Map<String, String> headers,
                       Optional<String> body) {
        public Rule {
            headers = Map.copyOf(headers);
        }

        public boolean readsBody() {
            return body.isPresent();
        }
    }

    public RequestFilterSpec {
        rules = List.copyOf(rules);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static RequestFilterSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<Rule> rules = o.list("rules", n -> rule(n.asObject()));
        boolean builtIn = o.bool("builtInRules", true);
        long maxBody = o.longValue("maxBodyBytes", 1024 * 1024, 0, 64L * 1024 * 1024);
        if (rules.isEmpty() && !builtIn) {
            o.error("rules", "with builtInRules off, at least one rule is needed");
        }
        return new RequestFilterSpec(name, rules, builtIn, maxBody);
    }

    private static Rule rule(SpecObject o) {
        String name = o.requiredString("name");
        Optional<String> path = regexp(o, "path");
        Optional<String> query = regexp(o, "query");
        Map<String, String> headers = new LinkedHashMap<>();
        o.stringMap("headers").forEach((header, regexp) -> {
            Regexps.check(regexp, o, "headers." + header);
            headers.put(header, regexp);
        });
        Optional<String> body = regexp(o, "body");
        if (path.isEmpty() && query.isEmpty() && headers.isEmpty() && body.isEmpty()) {
            o.error("a rule needs path, query, headers or body");
        }
        o.finish();
        return new Rule(name, path, query, headers, body);
    }

    private static Optional<String> regexp(SpecObject o, String key) {
        Optional<String> value = o.optionalString(key).filter(v -> !v.isEmpty());
        value.ifPresent(v -> Regexps.check(v, o, key));
        return value;
    }
}
