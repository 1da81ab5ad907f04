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
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

    abstract WriteResponse send(ControlPlaneClient client, WriteRequest request);

    @Override
    public Integer call() {
        Terminal terminal = root.terminal();
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
