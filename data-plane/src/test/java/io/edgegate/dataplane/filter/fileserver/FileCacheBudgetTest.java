package io.edgegate.dataplane.filter.fileserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.spec.filter.fileserver.FileServerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileServer filters keep files within one node-wide budget, and give it back when a config retires them. */
class FileCacheBudgetTest {

    @TempDir
    Path root;

    @Test
    void filtersShareTheNodesBudgetAndARetiredOneGivesItsShareBack() throws Exception {
        Path a = Files.writeString(root.resolve("a.txt"), "a".repeat(60));
        Path b = Files.writeString(root.resolve("b.txt"), "b".repeat(60));
        FileCacheBudget budget = new FileCacheBudget(100);
        FileServerFilter first = filter(budget);
        FileServerFilter second = filter(budget);

        assertThat(content(first.cached(a, 1, 60))).isEqualTo("a".repeat(60));
        assertThat(budget.used()).isEqualTo(60);
        assertThat(content(first.cached(a, 1, 60))).as("kept: no second share").isEqualTo("a".repeat(60));
        assertThat(budget.used()).isEqualTo(60);
        // Over the node's budget: served all the same, not kept.
        assertThat(content(second.cached(b, 1, 60))).isEqualTo("b".repeat(60));
        assertThat(budget.used()).isEqualTo(60);

        first.close();
        assertThat(budget.used()).isZero();
        second.cached(b, 1, 60);
        assertThat(budget.used()).isEqualTo(60);
    }

    @Test
    void aReservationOverTheLimitIsRefusedAndReleasesMakeRoom() {
        FileCacheBudget budget = new FileCacheBudget(10);
        assertThat(budget.reserve(6)).isTrue();
        assertThat(budget.reserve(5)).isFalse();
        budget.release(6);
        assertThat(budget.reserve(10)).isTrue();
    }

    private FileServerFilter filter(FileCacheBudget budget) {
        FileServerSpec spec = new FileServerSpec("files", root.toString(), FileServerSpec.DEFAULT_INDEX, List.of(), List.of(),
                Optional.empty(), Optional.empty(), List.of(), false, FileServerSpec.Cache.DEFAULT);
        return new FileServerFilter(spec, Runnable::run, budget);
    }

    private static String content(FileServerFilter.SmallFile file) {
        return new String(file.content(), StandardCharsets.UTF_8);
    }
}
