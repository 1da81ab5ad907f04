package io.edgegate.spec.filter.mock;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.match.StringMatcherSpec;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Mock filter (Easegress format): the first rule whose {@code match} holds answers with
 * its {@code code}, {@code headers} and {@code body}, after {@code delay}; the result is then
 * {@code mocked}. A request no rule matches passes on.
 */
public record MockSpec(String name, List<Rule> rules) implements FilterSpec {

    public static final String KIND = "Mock";
    public static final String RESULT_MOCKED = "mocked";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_MOCKED), MockSpec::decode);

    /** A request condition: path (exact), pathPrefix, header matchers (any, or all with matchAllHeaders); none matches all. */
    public record Match(Optional<String> path, Optional<String> pathPrefix, Map<String, StringMatcherSpec> headers,
                        boolean matchAllHeaders) {
        public Match {
            headers = Map.copyOf(headers);
        }
    }

    public record Rule(Match match, int code, Map<String, String> headers, String body, Duration delay) {
        public Rule {
            headers = Map.copyOf(headers);
        }
    }

    public MockSpec {
        rules = List.copyOf(rules);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static MockSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<Rule> rules = o.list("rules", n -> rule(n.asObject()));
        if (rules.isEmpty()) {
            o.error("rules", "a Mock needs at least one rule");
        }
        return new MockSpec(name, rules);
    }

    private static Rule rule(SpecObject o) {
        Match match = o.object("match").map(MockSpec::match)
                .orElse(new Match(Optional.empty(), Optional.empty(), Map.of(), false));
        // Easegress also accepts the v1 form with path/pathPrefix on the rule itself.
        Optional<String> path = o.optionalString("path").filter(p -> !p.isEmpty());
        Optional<String> pathPrefix = o.optionalString("pathPrefix").filter(p -> !p.isEmpty());
        if (path.isPresent() || pathPrefix.isPresent()) {
            match = new Match(path.or(match::path), pathPrefix.or(match::pathPrefix), match.headers(), match.matchAllHeaders());
        }
        int code = o.integer("code", 200, 100, 599);
        if (code < 200) {
            o.error("code", interimStatus(code));
        }
        Map<String, String> headers = o.stringMap("headers");
        String body = o.string("body", "");
        Duration delay = o.duration("delay", Duration.ZERO);
        o.finish();
        return new Rule(match, code, headers, body, delay);
    }

    private static Match match(SpecObject o) {
        Optional<String> path = o.optionalString("path").filter(p -> !p.isEmpty());
        Optional<String> pathPrefix = o.optionalString("pathPrefix").filter(p -> !p.isEmpty());
        Map<String, StringMatcherSpec> headers = new java.util.LinkedHashMap<>();
        o.object("headers").ifPresent(h -> {
            for (String key : h.keys()) {
                headers.put(key, StringMatcherSpec.decode(h.field(key).asObject()));
            }
        });
        boolean all = o.bool("matchAllHeaders", false);
        o.finish();
        return new Match(path, pathPrefix, headers, all);
    }

    /**
     * Why a 1xx status cannot end a request: sent as the final answer, the client waits for the real one and
     * hangs (Easegress takes it, and Go's server sends it as an interim answer followed by a 200).
     */
    public static String interimStatus(int code) {
        return code + " is an interim status (1xx): a client would wait for a final answer that never comes; give 200-599";
    }
}
