package io.edgegate.spec.filter.fileserver;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import io.edgegate.spec.server.Regexps;
import io.edgegate.spec.server.RewriteTemplate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Easegress v2's FileServer filter: files under {@code root} by the request's path, after an
 * optional {@code rewrite} ("REGEXP REPLACEMENT"), through {@code tryFiles} ("{path}",
 * "{path}/", "/index.html", and "=404 message" when none exists), with {@code index} files for a
 * path ending in '/', {@code hidden} names and paths answered 403, {@code precompressed}
 * variants ({@code file.gz}, {@code file.br}, {@code file.zst}) for clients that accept them,
 * {@code compress: gzip} on the fly, and {@code cache}: files up to {@code bufferPoolMaxFileSize}
 * are kept in memory (up to {@code bufferPoolSize} bytes, each for {@code bufferPoolTTL} seconds
 * after its last use) and carry a content hash as their ETag, and files matching a
 * {@code cacheFileExtensionFilters} entry get {@code Cache-Control: public, max-age=etagMaxAge}.
 */
public record FileServerSpec(String name, String root, List<String> index, List<String> hidden, List<String> tryFiles,
                             Optional<TryError> tryError, Optional<Rewrite> rewrite, List<String> precompressed, boolean compress,
                             Cache cache) implements FilterSpec {

    public static final String KIND = "FileServer";
    public static final String RESULT_INTERNAL_ERROR = "internalError";
    public static final String RESULT_SERVER_ERROR = "serverError";
    public static final String RESULT_CLIENT_ERROR = "clientError";
    public static final String RESULT_NOT_FOUND = "notFound";
    public static final List<String> DEFAULT_INDEX = List.of("index.html", "index.txt");
    /** The precompressed codings read, and the extension of each one's file. */
    public static final Map<String, String> PRECOMPRESSED_EXTENSIONS = Map.of("gzip", ".gz", "br", ".br", "zstd", ".zst");

    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND,
            Set.of(RESULT_INTERNAL_ERROR, RESULT_SERVER_ERROR, RESULT_CLIENT_ERROR, RESULT_NOT_FOUND), FileServerSpec::decode);

    /** The last of {@code tryFiles}' "=CODE message" entry: what answers when no file was found. */
    public record TryError(int code, String message) {
    }

    /** {@code rewrite}: the regexp (Go's RE2) and its replacement ($1, ${name}). */
    public record Rewrite(String regexp, String replacement) {
    }

    /** Files matching {@code patterns} (names, or absolute paths when a pattern has a '/') are cacheable for {@code maxAgeSeconds}. */
    public record CacheRule(List<String> patterns, long maxAgeSeconds) {
        public CacheRule {
            patterns = List.copyOf(patterns);
        }
    }

    public record Cache(long poolBytes, long maxFileBytes, Duration ttl, List<CacheRule> rules) {
        public static final long DEFAULT_POOL_BYTES = 2L * 1024 * 1024 * 1024;
        public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024;
        public static final Duration DEFAULT_TTL = Duration.ofSeconds(600);
        public static final long DEFAULT_MAX_AGE_SECONDS = 3600;
        public static final long LARGEST_MAX_FILE_BYTES = 256L * 1024 * 1024;
        public static final Cache DEFAULT = new Cache(DEFAULT_POOL_BYTES, DEFAULT_MAX_FILE_BYTES, DEFAULT_TTL, List.of());

        public Cache {
            rules = List.copyOf(rules);
        }
    }

    public FileServerSpec {
        index = List.copyOf(index);
        hidden = List.copyOf(hidden);
        tryFiles = List.copyOf(tryFiles);
        precompressed = List.copyOf(precompressed);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static FileServerSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String root = o.requiredString("root");
        if (!root.isEmpty() && !Path.of(root).isAbsolute()) {
            o.warning("root", "'" + root + "' is relative: each node resolves it against its own working directory, as Easegress "
                    + "does; an absolute path says the same on every node");
        }
        // As Easegress: an empty list is the default too.
        List<String> index = o.stringList("index");
        if (index.isEmpty()) {
            index = DEFAULT_INDEX;
        }
        List<String> hidden = o.stringList("hidden");
        for (int i = 0; i < hidden.size(); i++) {
            checkGlob(o, "hidden[" + i + "]", hidden.get(i));
        }
        List<String> tryFiles = new ArrayList<>();
        Optional<TryError> tryError = Optional.empty();
        List<String> tries = o.stringList("tryFiles");
        for (int i = 0; i < tries.size(); i++) {
            String entry = tries.get(i);
            if (!entry.startsWith("=")) {
                tryFiles.add(entry);
                continue;
            }
            if (tryError.isPresent()) {
                o.error("tryFiles[" + i + "]", "a second '=CODE message' entry; one says what answers when no file is found");
            }
            tryError = tryError(o, "tryFiles[" + i + "]", entry);
        }
        Optional<Rewrite> rewrite = o.optionalString("rewrite").filter(r -> !r.isEmpty()).flatMap(r -> rewrite(o, r));
        List<String> precompressed = new ArrayList<>();
        for (String coding : o.string("precompressed", "").split(" ")) {
            if (coding.isEmpty()) {
                continue;
            }
            if (!PRECOMPRESSED_EXTENSIONS.containsKey(coding)) {
                o.error("precompressed", "'" + coding + "' is not a coding read here: gzip (file.gz), br (file.br) or zstd (file.zst)");
            } else if (!precompressed.contains(coding)) {
                precompressed.add(coding);
            }
        }
        String compress = o.string("compress", "");
        if (!compress.isEmpty() && !compress.equals("gzip")) {
            o.error("compress", "'" + compress + "' is not a compression: gzip, or leave it out");
        }
        Cache cache = o.object("cache").map(FileServerSpec::cache).orElse(Cache.DEFAULT);
        return new FileServerSpec(name, root, index, hidden, tryFiles, tryError, rewrite, precompressed, compress.equals("gzip"), cache);
    }

    private static Optional<TryError> tryError(SpecObject o, String key, String entry) {
        String[] parts = entry.strip().split(" ", 2);
        int code;
        try {
            code = Integer.parseInt(parts[0].substring(1));
        } catch (NumberFormatException e) {
            o.error(key, "'" + entry + "' is not '=CODE message' (e.g. =404 not here)");
            return Optional.empty();
        }
        if (code < 200 || code > 599) {
            o.error(key, "'" + entry + "': " + code + " is not a status an answer can have (200-599)");
            return Optional.empty();
        }
        return Optional.of(new TryError(code, parts.length > 1 ? parts[1] : Integer.toString(code)));
    }

    private static Optional<Rewrite> rewrite(SpecObject o, String text) {
        int space = text.indexOf(' ');
        String regexp = space < 0 ? text : text.substring(0, space);
        String replacement = space < 0 ? "" : text.substring(space + 1);
        Optional<com.google.re2j.Pattern> compiled = Regexps.check(regexp, o, "rewrite");
        compiled.flatMap(c -> RewriteTemplate.parse(replacement).problemWith(c))
                .ifPresent(problem -> o.error("rewrite", "'" + replacement + "' " + problem));
        return compiled.map(c -> new Rewrite(regexp, replacement));
    }

    private static Cache cache(SpecObject c) {
        long pool = c.longValue("bufferPoolSize", Cache.DEFAULT_POOL_BYTES, 0, Long.MAX_VALUE);
        // A file kept in memory is read whole into the node's heap: larger ones stream from disk instead.
        long maxFile = c.longValue("bufferPoolMaxFileSize", Cache.DEFAULT_MAX_FILE_BYTES, 0, Cache.LARGEST_MAX_FILE_BYTES);
        long ttlSeconds = c.longValue("bufferPoolTTL", Cache.DEFAULT_TTL.toSeconds(), 0, Long.MAX_VALUE / 1_000_000_000L);
        List<CacheRule> rules = c.list("cacheFileExtensionFilters", n -> cacheRule(n.asObject()));
        c.finish();
        // As Easegress: 0 takes the default.
        return new Cache(pool == 0 ? Cache.DEFAULT_POOL_BYTES : pool, maxFile == 0 ? Cache.DEFAULT_MAX_FILE_BYTES : maxFile,
                ttlSeconds == 0 ? Cache.DEFAULT_TTL : Duration.ofSeconds(ttlSeconds), rules);
    }

    private static CacheRule cacheRule(SpecObject r) {
        // Easegress's code reads "extension"; its reference page writes "pattern" (which Easegress ignores): both are read.
        List<String> patterns = new ArrayList<>();
        for (String key : List.of("extension", "pattern")) {
            List<String> given = r.stringList(key);
            for (int i = 0; i < given.size(); i++) {
                checkGlob(r, key + "[" + i + "]", given.get(i));
            }
            patterns.addAll(given);
        }
        long maxAge = r.longValue("etagMaxAge", Cache.DEFAULT_MAX_AGE_SECONDS, Long.MIN_VALUE, Long.MAX_VALUE);
        r.finish();
        return new CacheRule(patterns, maxAge <= 0 ? Cache.DEFAULT_MAX_AGE_SECONDS : maxAge);
    }

    private static void checkGlob(SpecObject o, String key, String glob) {
        try {
            GoGlob.compile(glob);
        } catch (IllegalArgumentException e) {
            o.error(key, e.getMessage());
        }
    }
}
