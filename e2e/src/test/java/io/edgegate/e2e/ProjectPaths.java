package io.edgegate.e2e;

import io.edgegate.testkit.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Finds the project's launchers and examples, and writes test variants of example files. */
final class ProjectPaths {

    private ProjectPaths() {
    }

    static Path root() {
        return ProjectRoot.find();
    }

    static Path bin(String launcher) {
        return ProjectRoot.bin(launcher);
    }

    static String example(String file) {
        try {
            return Files.readString(root().resolve("examples").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An example file with only the given literal replacements (ports and backend URLs, since
     * tests must not assume fixed ports are free), written where egctl can read it.
     */
    static Path exampleVariant(Path dir, String file, Map<String, String> replacements) {
        String text = example(file);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey())) {
                throw new IllegalArgumentException(file + " does not contain " + r.getKey());
            }
            text = text.replace(r.getKey(), r.getValue());
        }
        try {
            Files.createDirectories(dir);
            Path out = dir.resolve(file);
            Files.writeString(out, text);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
