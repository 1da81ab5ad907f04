package io.edgegate.spec.filter.adaptor;

import com.google.re2j.Pattern;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.util.Optional;

/**
 * A RequestAdaptor's {@code path}, one change as Easegress applies them, first set wins:
 * {@code replace} (the whole path), {@code addPrefix}, {@code trimPrefix}, or
 * {@code regexpReplace} ({@code regexp}, {@code replace} with {@code $1}).
 */
public record PathChange(Optional<String> replace, Optional<String> addPrefix, Optional<String> trimPrefix,
                         Optional<String> regexp, Optional<String> regexpReplacement) {

    public static final PathChange NONE = new PathChange(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public static PathChange optional(SpecObject parent) {
        Optional<SpecObject> o = parent.object("path");
        if (o.isEmpty()) {
            return NONE;
        }
        SpecObject p = o.get();
        Optional<String> replace = p.optionalString("replace").filter(v -> !v.isEmpty());
        Optional<String> addPrefix = p.optionalString("addPrefix").filter(v -> !v.isEmpty());
        Optional<String> trimPrefix = p.optionalString("trimPrefix").filter(v -> !v.isEmpty());
        Optional<String> regexp = Optional.empty();
        Optional<String> replacement = Optional.empty();
        Optional<SpecObject> re = p.object("regexpReplace");
        if (re.isPresent()) {
            SpecObject r = re.get();
            regexp = Optional.of(r.requiredString("regexp"));
            replacement = Optional.of(r.string("replace", ""));
            Optional<Pattern> compiled = Regexps.check(regexp.get(), r, "regexp");
            String replaceWith = replacement.get();
            compiled.flatMap(c -> RewriteTemplate.parse(replaceWith).problemWith(c))
                    .ifPresent(problem -> r.error("replace", "'" + replaceWith + "' " + problem));
            r.finish();
        }
        p.object("signer").ifPresent(signer -> {
            // Easegress's filter reference shows path.signer, but its path adaptor has no such key and
            // ignores it: accepted as Easegress accepts it, with the way to sign that does work.
            signer.optionalString("for");
            signer.finish();
            p.warning("signer", "is ignored, as Easegress ignores it (its path adaptor has no signer); "
                    + "sign requests with the RequestAdaptor's sign: {apiProvider: aws4, ...}");
        });
        p.finish();
        return new PathChange(replace, addPrefix, trimPrefix, regexp, replacement);
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
