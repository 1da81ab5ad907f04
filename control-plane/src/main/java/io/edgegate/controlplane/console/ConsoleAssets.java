package io.edgegate.controlplane.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/** The console's page, script and style, read once from the classpath: no front-end build, nothing fetched from elsewhere. */
final class ConsoleAssets {

    record Asset(byte[] bytes, String contentType) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        this.assets = Map.of(
                "index.html", load("index.html"),
                "console.js", load("console.js"),
                "console.css", load("console.css"));
    }

    /** By the path under /ui/; the empty path is the page. */
    Optional<Asset> find(String name) {
        return Optional.ofNullable(assets.get(name.isEmpty() ? "index.html" : name));
    }

    private static Asset load(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the control plane's jar");
            }
            return new Asset(in.readAllBytes(), TYPES.get(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
