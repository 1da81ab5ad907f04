package io.edgegate.e2e;

import io.edgegate.egctl.Egctl;
import io.edgegate.egctl.Terminal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What one egctl invocation printed and how it exited. */
record EgctlRun(int exit, String out, String err) {

    /** A config file that does not exist: the tests never read the machine user's egctl contexts. */
    private static final java.nio.file.Path NO_CONFIG = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
            "edgegate-e2e-no-egctl-config.yaml");

    /** egctl in this JVM: the same code as bin/egctl without a JVM start per call. */
    static EgctlRun withStdin(EgctlTarget target, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err), in, target.environment(NO_CONFIG));
        int exit = Egctl.run(target.arguments(args), terminal);
        return new EgctlRun(exit, out.toString(), err.toString());
    }

    /** egctl in this JVM with exactly this environment (e.g. only an EGCTL_CONFIG). */
    static EgctlRun withEnvironment(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err), InputStream.nullInputStream(), environment);
        int exit = Egctl.run(args, terminal);
        return new EgctlRun(exit, out.toString(), err.toString());
    }

    static EgctlRun inProcess(EgctlTarget target, String... args) {
        return withStdin(target, "", args);
    }

    /** bin/egctl as a user runs it. */
    static EgctlRun launcher(EgctlTarget target, String... args) {
        return launcherWith(target.environment(NO_CONFIG), target.arguments(args));
    }

    /** bin/egctl with this shell's environment plus {@code environment}, and none of the machine's EGCTL_ settings. */
    static EgctlRun launcherWith(Map<String, String> environment, String... args) {
        return launcherWith(ProjectPaths.bin("egctl"), environment, args);
    }

    /**
     * The egctl launcher at {@code egctl} (a distribution's), as {@link #launcherWith(Map, String...)}. Each call
     * runs on its own JVM, unless {@code environment} sets EGCTL_DAEMON: a test leaves no daemon behind by accident.
     */
    static EgctlRun launcherWith(Path egctl, Map<String, String> environment, String... args) {
        return launcherIn(egctl, Path.of("").toAbsolutePath(), environment, "", args);
    }

    /** As above, started in {@code directory} with {@code stdin} on its standard input. */
    static EgctlRun launcherIn(Path egctl, Path directory, Map<String, String> environment, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(egctl.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("EGCTL_") || name.startsWith("EDGEGATE_"));
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("EGCTL_DAEMON", "off");
        try {
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("egctl did not finish: " + command);
            }
            return new EgctlRun(process.exitValue(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
