package io.edgegate.egctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script, loaded into a real bash and asked what it completes, as a Tab press would. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    @Test
    void bashCompletesCommandsOptionsAndTheirValues() throws Exception {
        Path script = Files.writeString(dir.resolve("egctl.bash"), egctl("completion", "bash"));
        assertThat(complete(script, "egctl g")).isEqualTo("get");
        assertThat(complete(script, "egctl d")).isEqualTo("diff describe delete daemon");
        assertThat(complete(script, "egctl get --ou")).isEqualTo("--output");
        assertThat(complete(script, "egctl get -o ")).isEqualTo("table yaml json");
        assertThat(complete(script, "egctl completion ")).isEqualTo("bash zsh");
        // The zsh script is the same one: it loads zsh's support for bash completion first.
        assertThat(egctl("completion", "zsh")).contains("bashcompinit").isEqualTo(egctl("completion", "bash"));
    }

    private static String egctl(String... args) {
        StringWriter out = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), Map.of());
        assertThat(Egctl.run(args, terminal)).isZero();
        return out.toString();
    }

    /** What bash's completion offers for {@code line}, the cursor at its end. */
    private static String complete(Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String harness = "source " + script + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "_complete_egctl egctl \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "echo \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", harness).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
