package io.edgegate.egctl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where egctl connects and as whom: each setting from its flag, else the environment
 * ({@code EGCTL_SERVER}, {@code EGCTL_CA}, {@code EGCTL_TOKEN}), else the current (or named)
 * context of the config file, else the default server with no token.
 */
record Connection(String server, Optional<Path> ca, Optional<String> token, boolean insecure) {

    record Flags(String server, Path ca, String token, Path tokenFile, boolean insecure, String context, Path config) {
    }

    static Connection resolve(Flags flags, Terminal terminal) {
        Map<String, String> env = terminal.env();
        EgctlConfig config = EgctlConfig.read(EgctlConfig.location(Optional.ofNullable(flags.config()), terminal));
        Optional<EgctlConfig.Context> context = flags.context() != null
                ? Optional.of(config.context(flags.context()).orElseThrow(() -> new CommandFailure("no context named '"
                        + flags.context() + "' (egctl config get-contexts lists them)")))
                : config.current();
        String server = first(flags.server(), env.get("EGCTL_SERVER"), context.map(EgctlConfig.Context::server).orElse(null))
                .orElse(Egctl.DEFAULT_SERVER);
        Optional<Path> ca = first(flags.ca() == null ? null : flags.ca().toString(), env.get("EGCTL_CA"),
                context.map(EgctlConfig.Context::ca).orElse(null)).map(terminal::resolve);
        Optional<String> token = flags.token() != null ? Optional.of(flags.token())
                : flags.tokenFile() != null ? Optional.of(readToken(flags.tokenFile()))
                : first(env.get("EGCTL_TOKEN")).or(() -> context.flatMap(c -> contextToken(c, terminal)));
        boolean insecure = flags.insecure() || context.map(c -> Boolean.TRUE.equals(c.insecure())).orElse(false);
        return new Connection(server, ca, token, insecure);
    }

    private static Optional<String> contextToken(EgctlConfig.Context context, Terminal terminal) {
        if (context.token() != null) {
            return Optional.of(context.token());
        }
        return Optional.ofNullable(context.tokenFile()).map(file -> readToken(terminal.resolve(file)));
    }

    static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CommandFailure("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    private static Optional<String> first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
