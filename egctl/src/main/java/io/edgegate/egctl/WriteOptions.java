package io.edgegate.egctl;

import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.cli.DurationConverter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** How a write is sent and reported (apply, create, create httpproxy): dry run, waiting for the nodes, one line per object. */
final class WriteOptions {

    /** The control plane holds a wait this long at most: a rollout, not a subscription. */
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--dry-run", description = "Validate and report what would change, without writing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Return once every connected node has applied the change; fail naming "
            + "the nodes that rejected it or did not answer in time.")
    boolean await;

    /** Null when not given: a subcommand's write takes its parent's (see {@link #orParent}). */
    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long --wait waits, up to 10m (default: 30s).")
    Duration timeout;

    /**
     * These options with those given to the parent command where these were not: {@code egctl create --dry-run
     * httpproxy …} is a dry run as much as {@code egctl create httpproxy --dry-run …}.
     */
    WriteOptions orParent(WriteOptions parent) {
        WriteOptions merged = new WriteOptions();
        merged.dryRun = dryRun || parent.dryRun;
        merged.await = await || parent.await;
        merged.timeout = timeout != null ? timeout : parent.timeout;
        return merged;
    }

    /** Checks the options, builds the request, sends it and reports each object; then waits for the nodes if asked. */
    int write(Egctl root, Supplier<WriteRequest.Builder> request, BiFunction<ControlPlaneClient, WriteRequest, WriteResponse> send) {
        Terminal terminal = root.terminal();
        Duration timeout = this.timeout != null ? this.timeout : DEFAULT_TIMEOUT;
        if (await && (timeout.isZero() || timeout.isNegative() || timeout.compareTo(LONGEST_WAIT) > 0)) {
            // Checked before anything is written: the control plane would wait otherwise than the report says.
            throw new CommandFailure("--timeout must be more than 0 and at most 10m, not " + timeout.toMillis() + " ms; nothing was sent");
        }
        WriteRequest built = request.get().setDryRun(dryRun).build();
        try (ControlPlaneClient client = root.connect()) {
            WriteResponse response = send.apply(client, built);
            response.getWarningsList().forEach(w -> terminal.err().println("Warning: " + w));
            String suffix = dryRun ? " (dry run)" : "";
            for (ObjectResult result : response.getResultsList()) {
                terminal.out().println(result.getKey().getKind() + "/" + result.getKey().getName() + " "
                        + result.getAction().name().toLowerCase(Locale.ROOT) + suffix);
            }
            terminal.out().flush();
            if (await && !dryRun) {
                new RevisionWaiter(terminal.out()).await(client, response, timeout);
            }
        }
        return 0;
    }
}
