package io.edgegate.spec.filter.redirector;

import com.google.re2j.Pattern;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Redirector filter (Easegress format): when {@code match} (a regexp) is found in the
 * part of the request URL named by {@code matchPart} ({@code uri}: path and query, the
 * default; {@code path}; {@code full}: scheme, host, path and query), the client is
 * redirected to that part with every match replaced by {@code replacement} ({@code $1},
 * {@code ${name}}), with {@code statusCode} 301 (default), 302, 303, 304 (Easegress takes it), 307 or 308.
 * A redirected request returns the result {@code redirected} (end the flow with
 * {@code jumpIf: {redirected: END}} when other filters follow); one that does not match
 * passes on unchanged.
 */
public record RedirectorSpec(String name, String match, MatchPart matchPart, String replacement, int statusCode)
        implements FilterSpec {

    public static final String KIND = "Redirector";
    private static final Set<Integer> STATUSES = Set.of(301, 302, 303, 304, 307, 308);

    public static final String RESULT_REDIRECTED = "redirected";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_REDIRECTED), RedirectorSpec::decode);

    /** Which part of the request URL is matched and replaced. */
    public enum MatchPart { URI, PATH, FULL }

    @Override
    public String kind() {
        return KIND;
    }

    static RedirectorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String match = o.requiredString("match");
        Optional<Pattern> pattern = match.isEmpty() ? Optional.empty() : Regexps.check(match, o, "match");
        String partName = o.string("matchPart", "uri");
        MatchPart part = switch (partName.toLowerCase(Locale.ROOT)) {
            case "uri" -> MatchPart.URI;
            case "path" -> MatchPart.PATH;
            case "full" -> MatchPart.FULL;
            default -> {
                o.error("matchPart", "'" + partName + "' is not a part (expected uri, path or full)");
                yield MatchPart.URI;
            }
        };
        String replacement = o.requiredString("replacement");
        pattern.ifPresent(p -> RewriteTemplate.parse(replacement).problemWith(p)
                .ifPresent(problem -> o.error("replacement", "'" + replacement + "' " + problem)));
        int status = o.integer("statusCode", 301, 100, 599);
        if (!STATUSES.contains(status)) {
            o.error("statusCode", status + " is not a redirect status (expected 301, 302, 303, 304, 307 or 308)");
        }
        return new RedirectorSpec(name, match, part, replacement, status);
    }
}
