package io.edgegate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout this code runs from, found by walking up to the directory that holds bin/egctl and pom.xml. */
public final class ProjectRoot {

    private ProjectRoot() {
    }

    public static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.exists(dir.resolve("bin/egctl")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the project root (bin/egctl) above " + Path.of("").toAbsolutePath());
    }

    public static Path bin(String launcher) {
        return find().resolve("bin").resolve(launcher);
    }
}
