package io.edgegate.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.runtime.LastGoodConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What /healthz says a node serves: a node now serves its file at start, so the file must not be named once a control plane replaced it. */
class ConfigSourceTest {

    private final ConfigSource source = new ConfigSource();

    @Test
    void namesTheFileWhileItsConfigRuns() {
        source.fromFile(new LastGoodConfig.Saved("e1", 7, List.of(), "2026-11-30T10:00:00Z"));

        assertThat(source.describe(false, "e1", 7)).isEqualTo("last-good file (revision 7, saved 2026-11-30T10:00:00Z)");
    }

    @Test
    void namesTheControlPlaneOnceItsConfigReplacedTheFile() {
        source.fromFile(new LastGoodConfig.Saved("e1", 7, List.of(), "2026-11-30T10:00:00Z"));

        assertThat(source.describe(true, "e1", 7)).isEqualTo("control plane");
        assertThat(source.describe(false, "e1", 9)).isEqualTo("control plane (disconnected; serving the last config it sent)");
        // A store restored from a backup restarts its revisions: the same number of another epoch is not the file.
        assertThat(source.describe(false, "e2", 7)).isEqualTo("control plane (disconnected; serving the last config it sent)");
    }

    @Test
    void namesNothingBeforeAnyConfig() {
        assertThat(source.describe(false, "", 0)).isEqualTo("none");
    }
}
