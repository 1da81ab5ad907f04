package io.edgegate.spec.filter.redirectorv2;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.Optional;
import java.util.Set;

/**
 * RedirectorV2 (Easegress, Gateway API's HTTPRequestRedirectFilter): answers with a redirect to
 * the request's URL changed by {@code scheme}, {@code hostname} and {@code path}
 * ({@code ReplaceFullPath}, or {@code ReplacePrefixMatch} of the matched route's
 * {@code pathPrefix}), with {@code statusCode} (302 by default; 301, 302, 303, 304, 307, 308),
 * returning {@code redirected}. A request the change leaves as it is passes on.
 */
public record RedirectorV2Spec(String name, Optional<String> scheme, Optional<String> hostname, Optional<PathModifier> path,
                               int statusCode) implements FilterSpec {

    public static final String KIND = "RedirectorV2";
    public static final String RESULT_REDIRECTED = "redirected";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_REDIRECTED), RedirectorV2Spec::decode);
    private static final Set<Integer> CODES = Set.of(301, 302, 303, 304, 307, 308);

    /** How the path changes: the whole of it, or the route's prefix. */
    public record PathModifier(boolean fullPath, String replacement) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    static RedirectorV2Spec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Optional<String> scheme = o.optionalString("scheme").filter(s -> !s.isEmpty());
        scheme.filter(s -> !s.equals("http") && !s.equals("https"))
                .ifPresent(s -> o.error("scheme", "invalid scheme of Redirector, only support http and https"));
        Optional<String> hostname = o.optionalString("hostname").filter(h -> !h.isEmpty());
        o.unsupported("Easegress ignores it too: give the port in hostname (host:port)", "port");
        Optional<PathModifier> path = o.object("path").map(p -> {
            String type = p.requiredString("type");
            PathModifier modifier = switch (type) {
                case "ReplaceFullPath" -> new PathModifier(true, required(p, "replaceFullPath"));
                case "ReplacePrefixMatch" -> new PathModifier(false, required(p, "replacePrefixMatch"));
                default -> {
                    p.error("type", "invalid path type of Redirector, only support ReplaceFullPath and ReplacePrefixMatch");
                    yield new PathModifier(true, "/");
                }
            };
            p.finish();
            return modifier;
        });
        int statusCode = o.integer("statusCode", 302, 100, 599);
        if (!CODES.contains(statusCode)) {
            o.error("statusCode", "invalid status code of Redirector, support 300, 301, 302, 303, 304, 307, 308".replace("300, ", ""));
        }
        return new RedirectorV2Spec(name, scheme, hostname, path, statusCode);
    }

    private static String required(SpecObject p, String key) {
        // Read both keys, so the one of the other type is not reported as unknown.
        p.optionalString("replaceFullPath");
        p.optionalString("replacePrefixMatch");
        String value = p.optionalString(key).orElse("");
        if (value.isEmpty()) {
            p.error(key, "invalid path of Redirector, " + key + " can't be empty");
        }
        return value;
    }
}
