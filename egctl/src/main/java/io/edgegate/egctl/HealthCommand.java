package io.edgegate.egctl;

import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code egctl health}, as in Easegress: "OK" and exit 0 when the control plane answers and reaches
 * its store; exit 1 saying why otherwise (unreachable, refused, or cut off from etcd: it then serves
 * a stale view, which it can still hand to nodes but not change).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Probe the control plane: OK (exit 0) when it answers and reaches etcd; exit 1 with the reason otherwise.")
final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Override
    public Integer call() {
        ListMembersResponse response;
        try (ControlPlaneClient client = root.connect()) {
            response = client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
        }
        if (response.getStale()) {
            throw new CommandFailure("the control plane answers but does not reach etcd (" + response.getStaleReason()
                    + "): it serves its last view and cannot take changes");
        }
        if (root.output() == OutputFormat.json) {
            root.terminal().out().println("{\"message\": \"OK\"}");
        } else {
            root.terminal().out().println("OK");
        }
        return 0;
    }
}
