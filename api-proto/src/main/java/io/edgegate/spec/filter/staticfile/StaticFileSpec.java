package io.edgegate.spec.filter.staticfile;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The StaticFile filter: serves files under {@code root} (a directory on each data-plane
 * node) by the request path, with {@code index} files for directories and, with
 * {@code maxAge}, a {@code Cache-Control} lifetime. A missing file answers 404 and returns
 * the result {@code fileNotFound}, so a flow can fall through to a Proxy with {@code jumpIf};
 * a request it cannot serve (a method other than GET/HEAD, a malformed path) answers 405/400
 * with {@code clientError} (Easegress's FileServer result for it).
 */
public record StaticFileSpec(String name, String root, List<String> index, Optional<Duration> maxAge) implements FilterSpec {

    public static final String KIND = "StaticFile";
    public static final String RESULT_NOT_FOUND = "fileNotFound";
    public static final String RESULT_CLIENT_ERROR = "clientError";
    public static final List<String> DEFAULT_INDEX = List.of("index.html");

    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_NOT_FOUND, RESULT_CLIENT_ERROR),
            StaticFileSpec::decode);

    public StaticFileSpec {
        index = List.copyOf(index);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static StaticFileSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String root = o.requiredString("root");
        if (!root.isEmpty() && !Path.of(root).isAbsolute()) {
            o.error("root", "'" + root + "' must be an absolute path (the directory on each data-plane node)");
        }
        List<String> index = o.has("index") ? o.stringList("index") : DEFAULT_INDEX;
        for (int i = 0; i < index.size(); i++) {
            String file = index.get(i);
            if (file.isEmpty() || file.contains("/") || file.equals("..") || file.equals(".")) {
                o.error("index[" + i + "]", "'" + file + "' must be a file name, e.g. index.html");
            }
        }
        Optional<Duration> maxAge = o.has("maxAge") ? Optional.of(o.duration("maxAge", Duration.ZERO)) : Optional.empty();
        return new StaticFileSpec(name, root, index, maxAge);
    }
}
