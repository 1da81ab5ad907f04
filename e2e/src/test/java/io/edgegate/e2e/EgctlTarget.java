package io.edgegate.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which control plane egctl talks to and how: its CA and the file holding the admin token (read
 * at each call, as the control plane rewrites it when a wiped store loses every token), or
 * plaintext for a control plane run with --insecure.
 */
record EgctlTarget(String server, Optional<Path> ca, Optional<Path> tokenFile) {

    static EgctlTarget insecure(String server) {
        return new EgctlTarget(server, Optional.empty(), Optional.empty());
    }

    static EgctlTarget secure(String server, Path ca, Path tokenFile) {
        return new EgctlTarget(server, Optional.of(ca), Optional.of(tokenFile));
    }

    /** The environment an operator's shell would have; never the machine user's egctl config. */
    Map<String, String> environment(Path noConfig) {
        Map<String, String> env = new HashMap<>();
        env.put("EGCTL_SERVER", server);
        env.put("EGCTL_CONFIG", noConfig.toString());
        ca.ifPresent(file -> env.put("EGCTL_CA", file.toString()));
        tokenFile.ifPresent(file -> env.put("EGCTL_TOKEN", token(file)));
        return env;
    }

    String[] arguments(String... args) {
        if (ca.isPresent()) {
            return args;
        }
        List<String> all = new ArrayList<>(List.of("--insecure"));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static String token(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
