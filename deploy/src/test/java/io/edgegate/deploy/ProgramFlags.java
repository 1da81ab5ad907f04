package io.edgegate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The flags a program says it takes in its --help, so a unit or manifest cannot pass one it does not know. */
final class ProgramFlags {

    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");

    private ProgramFlags() {
    }

    static Set<String> of(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + help);
            }
            Set<String> flags = new TreeSet<>();
            Matcher matcher = FLAG.matcher(help);
            while (matcher.find()) {
                flags.add(matcher.group());
            }
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code --name} of {@code --name=value} or {@code --name}; null for what is no flag. */
    static String name(String argument) {
        if (!argument.startsWith("--")) {
            return null;
        }
        int equals = argument.indexOf('=');
        return equals < 0 ? argument : argument.substring(0, equals);
    }
}
