package io.edgegate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.testkit.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd as systemd reads it: {@code systemd-analyze verify} finds no unknown key, bad
 * value or missing program (the units point at /opt/edgegate, here at this checkout's launchers),
 * the sandboxing keeps the services' exposure low, and every flag passed is one the program takes.
 */
class SystemdUnitsTest {

    private static final Path UNITS = ProjectRoot.find().resolve("deploy/systemd");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+)");

    @Test
    void systemdFindsNothingToComplainAbout(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        command.addAll(installed(dir));
        Result verify = run(command);
        assertThat(verify.exit()).as(verify.output()).isZero();
        // It exits 0 on unknown keys and unparsable values too, and says so: any word from it is a finding.
        assertThat(verify.output()).isEmpty();
    }

    @Test
    void theServicesRunSandboxed(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "security", "--offline=yes", "--no-pager"));
        List<String> units = installed(dir);
        command.addAll(units);
        Result security = run(command);
        Matcher matcher = EXPOSURE.matcher(security.output());
        int seen = 0;
        while (matcher.find()) {
            seen++;
            // systemd's scale: 0 (locked down) to 10 (unprotected); "OK" is below 2.
            assertThat(Double.parseDouble(matcher.group(2))).as(matcher.group(1)).isLessThan(2.0);
        }
        assertThat(seen).as(security.output()).isEqualTo(units.size());
        for (String unit : List.of("edgegate-control-plane.service", "edgegate-data-plane.service", "edgegate-etcd.service")) {
            String text = Files.readString(UNITS.resolve(unit));
            assertThat(text).contains("DynamicUser=yes", "StateDirectory=", "LoadCredential=", "Restart=on-failure");
        }
    }

    @Test
    void theProgramsTakeEveryFlagTheyAreGiven() throws IOException {
        Map<String, Set<String>> known = Map.of(
                "/opt/edgegate/bin/control-plane", ProgramFlags.of(ProjectRoot.bin("control-plane").toString(), "--help"),
                "/opt/edgegate/bin/data-plane", ProgramFlags.of(ProjectRoot.bin("data-plane").toString(), "--help"),
                "/usr/bin/etcd", ProgramFlags.of("etcd", "--help"));
        for (Path unit : unitFiles()) {
            String execStart = Files.readString(unit).replace("\\\n", " ").lines().filter(l -> l.startsWith("ExecStart="))
                    .findFirst().orElseThrow().substring("ExecStart=".length());
            List<String> words = List.of(execStart.trim().split("\\s+"));
            assertThat(known).as(unit.getFileName().toString()).containsKey(words.get(0));
            for (String word : words.subList(1, words.size())) {
                String flag = ProgramFlags.name(word);
                if (flag != null) {
                    assertThat(known.get(words.get(0))).as(unit.getFileName().toString()).contains(flag);
                }
            }
        }
    }

    /** The units as installed from this checkout: /opt/edgegate is the project's root, where bin/ has the launchers. */
    private static List<String> installed(Path dir) throws IOException {
        List<String> paths = new ArrayList<>();
        for (Path unit : unitFiles()) {
            Path copy = dir.resolve(unit.getFileName());
            Files.writeString(copy, Files.readString(unit).replace("/opt/edgegate/", ProjectRoot.find() + "/"));
            paths.add(copy.toString());
        }
        return paths;
    }

    private static List<Path> unitFiles() throws IOException {
        try (Stream<Path> files = Files.list(UNITS)) {
            List<Path> units = files.filter(f -> f.toString().endsWith(".service")).sorted().toList();
            assertThat(units).hasSize(3);
            return units;
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output.strip());
    }
}
