package io.edgegate.dataplane.filter.fileserver;

import com.google.re2j.Pattern;
import io.edgegate.dataplane.http.AcceptEncoding;
import io.edgegate.spec.filter.fileserver.FileServerSpec;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the file a request names, as Easegress's FileServer does: the path cleaned, rewritten,
 * tried through {@code tryFiles}, an index file for a path ending in '/', a precompressed variant
 * the client accepts before the file itself. Two things as its reference page says rather than as
 * its code does: a directory asked for with its '/' gets its index (the code's cleaning dropped the
 * '/', so only the root had one), and a {@code tryFiles} of only an error entry answers with it when
 * the file is missing. A symbolic link is followed only to a file under the root, as the StaticFile
 * filter does: a link must not publish the rest of the disk. Blocking file-system calls: the
 * file-I/O executor's.
 */
final class FileResolver {

    /** What a request path came to. */
    sealed interface Resolution permits Found, Refused {
    }

    /**
     * A file to serve, and the coding of its content when it is a precompressed variant (else null); {@code asked} is
     * the file the request named (the variant's without its extension), by which its type and cache rules go. {@code file}
     * has its links resolved, under the root as configured (which may itself be a link): hidden rules see this path too.
     */
    record Found(Path file, String coding, String asked) implements Resolution {

        String askedName() {
            return asked.substring(asked.lastIndexOf('/') + 1);
        }
    }

    /** An answer instead of a file. */
    record Refused(int status, String message) implements Resolution {
    }

    private static final Refused NOT_FOUND = new Refused(404, "file not found");
    private static final Refused UNSAFE = new Refused(400, "bad request");

    private final String root;
    private final List<String> index;
    private final List<String> tryFiles;
    private final Optional<FileServerSpec.TryError> tryError;
    private final Pattern rewrite;
    private final RewriteTemplate rewriteTo;
    private final List<String> precompressed;

    FileResolver(FileServerSpec spec, String root) {
        this.root = root;
        this.index = spec.index();
        this.tryFiles = spec.tryFiles();
        this.tryError = spec.tryError();
        this.rewrite = spec.rewrite().map(r -> Regexps.compile(r.regexp())).orElse(null);
        this.rewriteTo = spec.rewrite().map(r -> RewriteTemplate.parse(r.replacement())).orElse(null);
        this.precompressed = spec.precompressed();
    }

    Resolution resolve(String requestPath, String acceptEncoding) {
        String path = GoPaths.clean(requestPath);
        if (requestPath.endsWith("/") && !path.endsWith("/")) {
            path += "/";
        }
        if (rewrite != null && rewrite.matcher(path).find()) {
            path = rewriteTo.replaceAll(rewrite, path);
        }
        if (tryFiles.isEmpty()) {
            Resolution found = lookup(path, acceptEncoding);
            return found == NOT_FOUND && tryError.isPresent() ? new Refused(tryError.get().code(), tryError.get().message()) : found;
        }
        for (String entry : tryFiles) {
            Resolution tried = lookup(entry.replace("{path}", requestPath), acceptEncoding);
            if (tried instanceof Found) {
                return tried;
            }
        }
        return tryError.<Resolution>map(e -> new Refused(e.code(), e.message())).orElse(NOT_FOUND);
    }

    private Resolution lookup(String path, String acceptEncoding) {
        String target = GoPaths.join(root, path);
        if (!target.equals(root) && !target.startsWith(root.endsWith("/") ? root : root + "/")) {
            return UNSAFE;
        }
        if (path.endsWith("/")) {
            for (String name : index) {
                Found found = file(GoPaths.join(target, name), acceptEncoding);
                if (found != null) {
                    return found;
                }
            }
            return NOT_FOUND;
        }
        Found found = file(target, acceptEncoding);
        return found != null ? found : NOT_FOUND;
    }

    /** The precompressed variant the client takes, else the file itself, if it is a regular file under the root. */
    private Found file(String path, String acceptEncoding) {
        for (String coding : precompressed) {
            if (AcceptEncoding.accepts(acceptEncoding, coding)) {
                Path variant = underRoot(Path.of(path + FileServerSpec.PRECOMPRESSED_EXTENSIONS.get(coding)));
                if (variant != null) {
                    return new Found(variant, coding, path);
                }
            }
        }
        Path file = underRoot(Path.of(path));
        return file != null ? new Found(file, null, path) : null;
    }

    /** The file with its links resolved, under the root, when it is a regular file that stays there; else null. */
    private Path underRoot(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Path real = file.toRealPath();
            Path realRoot = Path.of(root).toRealPath();
            return real.startsWith(realRoot) ? Path.of(root).resolve(realRoot.relativize(real)) : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
