package io.edgegate.egctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LineDiff prints what diff -u prints, hunk for hunk, for texts whose lines are unique (one best match). */
class LineDiffTest {

    @TempDir
    Path dir;

    @Test
    void equalTextsHaveNoHunks() {
        assertThat(LineDiff.unified(List.of("a", "b"), List.of("a", "b"))).isEmpty();
    }

    @Test
    void aNewTextIsOneHunkOfAddedLines() {
        assertThat(LineDiff.unified(List.of(), List.of("a", "b"))).containsExactly("@@ -0,0 +1,2 @@", "+a", "+b");
        assertThat(LineDiff.unified(List.of("a"), List.of())).containsExactly("@@ -1 +0,0 @@", "-a");
    }

    @Test
    void editsMatchDiffUnified() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 60; round++) {
            List<String> before = new ArrayList<>();
            int lines = random.nextInt(40);
            for (int i = 0; i < lines; i++) {
                before.add("line " + i);
            }
            List<String> after = new ArrayList<>(before);
            int edits = random.nextInt(5);
            for (int e = 0; e < edits; e++) {
                int at = after.isEmpty() ? 0 : random.nextInt(after.size());
                switch (random.nextInt(3)) {
                    case 0 -> after.add(at, "new " + round + "." + e);
                    case 1 -> {
                        if (!after.isEmpty()) {
                            after.remove(at);
                        }
                    }
                    default -> {
                        if (!after.isEmpty()) {
                            after.set(at, "changed " + round + "." + e);
                        }
                    }
                }
            }
            assertThat(LineDiff.unified(before, after)).as("round " + round + ": " + before + " -> " + after)
                    .isEqualTo(diffU(before, after));
        }
    }

    /** The hunks of diff -u (its two file header lines left out). */
    private List<String> diffU(List<String> before, List<String> after) throws Exception {
        Path a = Files.write(dir.resolve("a"), before);
        Path b = Files.write(dir.resolve("b"), after);
        Process diff = new ProcessBuilder("diff", "-u", a.toString(), b.toString()).start();
        String out = new String(diff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(diff.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> lines = out.lines().toList();
        return lines.size() < 2 ? List.of() : lines.subList(2, lines.size());
    }
}
