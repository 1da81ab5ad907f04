package io.edgegate.dataplane.filter.fileserver;

import io.edgegate.spec.filter.fileserver.FileServerSpec;
import io.edgegate.spec.filter.fileserver.GoGlob;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which files are hidden and which carry a Cache-Control lifetime, as Easegress's FileServer
 * decides from absolute paths: a rule without '/' is matched against each name on the path below
 * the root; a rule with one against the whole path (as its prefix, or as a pattern).
 */
final class FileRules {

    private record PathRule(String text, GoGlob glob) {
    }

    private record CacheRule(List<GoGlob> names, List<GoGlob> paths, long maxAgeSeconds) {
    }

    private final String root;
    private final List<GoGlob> hiddenNames = new ArrayList<>();
    private final List<PathRule> hiddenPaths = new ArrayList<>();
    private final List<CacheRule> cacheRules = new ArrayList<>();

    FileRules(String root, List<String> hidden, List<FileServerSpec.CacheRule> cache) {
        this.root = root;
        for (String rule : hidden) {
            if (rule.contains("/")) {
                hiddenPaths.add(new PathRule(rule, GoGlob.compile(rule)));
            } else {
                hiddenNames.add(GoGlob.compile(rule));
            }
        }
        for (FileServerSpec.CacheRule rule : cache) {
            List<GoGlob> names = new ArrayList<>();
            List<GoGlob> paths = new ArrayList<>();
            for (String pattern : rule.patterns()) {
                if (pattern.contains("/")) {
                    paths.add(GoGlob.compile(pattern.startsWith("/") ? pattern : "/" + pattern));
                } else {
                    names.add(GoGlob.compile(pattern));
                }
            }
            cacheRules.add(new CacheRule(names, paths, rule.maxAgeSeconds()));
        }
    }

    boolean hidden(String file) {
        if (!hiddenNames.isEmpty()) {
            String below = file.startsWith(root) ? file.substring(root.length()) : file;
            for (String name : below.split("/")) {
                for (GoGlob glob : hiddenNames) {
                    if (glob.matches(name)) {
                        return true;
                    }
                }
            }
        }
        for (PathRule rule : hiddenPaths) {
            if (file.startsWith(rule.text())) {
                String rest = file.substring(rule.text().length());
                if (rest.startsWith("/") || rule.text().endsWith("/")) {
                    return true;
                }
            }
            if (rule.glob().matches(file)) {
                return true;
            }
        }
        return false;
    }

    /** The max-age of the first cache rule the file matches. */
    OptionalLong maxAge(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        for (CacheRule rule : cacheRules) {
            for (GoGlob glob : rule.names()) {
                if (glob.matches(name)) {
                    return OptionalLong.of(rule.maxAgeSeconds());
                }
            }
            for (GoGlob glob : rule.paths()) {
                if (glob.matches(file)) {
                    return OptionalLong.of(rule.maxAgeSeconds());
                }
            }
        }
        return OptionalLong.empty();
    }
}
