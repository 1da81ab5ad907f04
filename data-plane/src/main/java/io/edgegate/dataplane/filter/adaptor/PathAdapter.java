package io.edgegate.dataplane.filter.adaptor;

import com.google.re2j.Pattern;
import io.edgegate.spec.filter.adaptor.PathChange;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;

/** A {@link PathChange} made ready once (its regexp compiled) and applied to paths as Easegress's path adaptor does. */
public final class PathAdapter {

    private final PathChange change;
    private final Pattern regexp;
    private final RewriteTemplate replacement;

    public PathAdapter(PathChange change) {
        this.change = change;
        this.regexp = change.regexp().map(Regexps::compile).orElse(null);
        this.replacement = change.regexpReplacement().map(RewriteTemplate::parse).orElse(null);
    }

    public boolean changesNothing() {
        return change.isNone();
    }

    public String adapt(String path) {
        if (change.replace().isPresent()) {
            return change.replace().get();
        }
        if (change.addPrefix().isPresent()) {
            return change.addPrefix().get() + path;
        }
        if (change.trimPrefix().isPresent()) {
            String prefix = change.trimPrefix().get();
            String trimmed = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
            return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
        }
        if (regexp != null) {
            return replacement.replaceAll(regexp, path);
        }
        return path;
    }
}
