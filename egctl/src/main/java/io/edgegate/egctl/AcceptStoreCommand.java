package io.edgegate.egctl;

import io.edgegate.api.v1.AcceptStoreRequest;
import io.edgegate.api.v1.AcceptStoreResponse;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * After the store came back empty (etcd wiped, or the control plane pointed at a new etcd), nodes
 * keep serving the config they ran rather than drop every route. This command says the store as
 * it is now is what they must run.
 */
@Command(name = "accept-store", mixinStandardHelpOptions = true,
        description = {"Make every node follow the store as it is now, after its history started again from an empty store.",
            "Until then nodes that ran a config keep it (egctl get members shows them Behind, held)."})
final class AcceptStoreCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Override
    public Integer call() {
        AcceptStoreResponse response;
        try (ControlPlaneClient client = root.connect()) {
            response = client.cluster(stub -> stub.acceptStore(AcceptStoreRequest.getDefaultInstance()));
        }
        root.terminal().out().println("store accepted: every node now follows epoch " + response.getEpoch().getId()
                + " (since " + Instant.ofEpochMilli(response.getEpoch().getStartedAtMillis()) + ": "
                + response.getEpoch().getReason() + ")");
        return 0;
    }
}
