package io.edgegate.egctl;

import io.edgegate.cli.DurationConverter;
import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** What apply and create share: read documents, send them in one request, report each object. */
abstract class WriteCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Mixin
    DocumentInput input;

    @Option(names = "--dry-run", description = "Validate and report what would change, without writing.")
    boolean dryRun;

    @Option(names = "--wait", description = "Return once every connected node has applied the change; fail naming "
            + "the nodes that rejected it or did not answer in time.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long --wait waits, up to 10m (default: ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    /** The control plane holds a wait this long at most: a rollout, not a subscription. */
    private static final java.time.Duration LONGEST_WAIT = java.time.Duration.ofMinutes(10);

    abstract WriteResponse send(ControlPlaneClient client, WriteRequest request);

    @Override
    public Integer call() {
        Terminal terminal = root.terminal();
        if (await && (timeout.isZero() || timeout.isNegative() || timeout.compareTo(LONGEST_WAIT) > 0)) {
            // Checked before anything is written: the control plane would wait otherwise than the report says.
            throw new CommandFailure("--timeout must be more than 0 and at most 10m, not " + timeout.toMillis() + " ms; nothing was sent");
        }
        WriteRequest request = input.request(terminal).setDryRun(dryRun).build();
        try (ControlPlaneClient client = root.connect()) {
            WriteResponse response = send(client, request);
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
