package io.edgegate.egctl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.edgegate.security.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * egctl's config file, kubectl-style: named contexts (server, CA, token or token file) and the
 * current one. Found at --config, $EGCTL_CONFIG, else ~/.config/edgegate/egctl.yaml. Written 0600,
 * since a context may hold a token.
 *
 * <pre>
 * currentContext: local
 * contexts:
 * - name: local
 *   server: 127.0.0.1:2381
 *   ca: /home/me/edgegate/.local-cluster/pki/ca.pem
 *   tokenFile: /home/me/edgegate/.local-cluster/admin.token
 * </pre>
 */
record EgctlConfig(String currentContext, List<Context> contexts) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Context(String name, String server, String ca, String token, String tokenFile, Boolean insecure) {
    }

    EgctlConfig {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    static Path location(Optional<Path> flag, Terminal terminal) {
        if (flag.isPresent()) {
            return flag.get();
        }
        Map<String, String> env = terminal.env();
        String fromEnv = env.get("EGCTL_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return terminal.resolve(fromEnv);
        }
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "edgegate", "egctl.yaml");
    }

    static EgctlConfig read(Path file) {
        if (!Files.exists(file)) {
            return new EgctlConfig(null, List.of());
        }
        try {
            return mapper().readValue(file.toFile(), EgctlConfig.class);
        } catch (IOException e) {
            throw new CommandFailure("cannot read the egctl config " + file + ": " + e.getMessage());
        }
    }

    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Pem.writeSecret(file, mapper().writeValueAsString(this));
        } catch (IOException e) {
            throw new CommandFailure("cannot write the egctl config " + file + ": " + e.getMessage());
        }
    }

    Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    Optional<Context> current() {
        return currentContext == null ? Optional.empty() : context(currentContext);
    }

    EgctlConfig with(Context context, boolean makeCurrent) {
        List<Context> updated = new ArrayList<>();
        contexts.stream().filter(c -> !c.name().equals(context.name())).forEach(updated::add);
        updated.add(context);
        return new EgctlConfig(makeCurrent || currentContext == null ? context.name() : currentContext, updated);
    }

    EgctlConfig using(String name) {
        if (context(name).isEmpty()) {
            throw new CommandFailure("no context named '" + name + "' (egctl config get-contexts lists them)");
        }
        return new EgctlConfig(name, contexts);
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }
}
