package io.edgegate.egctl;

import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.GetResponse;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Show objects of a kind (or one of them), or the data-plane members.")
final class GetCommand implements Callable<Integer> {

    static final Set<String> MEMBERS = Set.of("members", "member", "m");

    @ParentCommand
    Egctl root;

    @Parameters(index = "0", paramLabel = "KIND", description = "A kind or alias (see api-resources), or members.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One object's name.")
    String name;

    @picocli.CommandLine.Option(names = "--show-secrets",
            description = "Print private keys, JWT secrets and passwords as stored (admin tokens only).")
    boolean showSecrets;

    @Override
    public Integer call() {
        ObjectPrinter printer = new ObjectPrinter(root.terminal().out(), root.output());
        try (ControlPlaneClient client = root.connect()) {
            if (MEMBERS.contains(kind.toLowerCase(java.util.Locale.ROOT))) {
                ListMembersResponse members = client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
                if (members.getInsecure()) {
                    root.terminal().err().println("Warning: this control plane runs with --insecure: no TLS, no tokens; "
                            + "anyone who reaches it controls the cluster");
                }
                new MemberPrinter(root.terminal().out(), root.output()).print(members, System.currentTimeMillis());
                return 0;
            }
            String kindName = Kinds.resolve(kind);
            if (name != null) {
                GetResponse response = client.objects(stub -> stub.get(GetRequest.newBuilder()
                        .setKey(ObjectKey.newBuilder().setKind(kindName).setName(name)).setShowSecrets(showSecrets).build()));
                warnIfStale(response.getStale(), response.getStaleReason());
                printer.print(List.of(response.getObject()), true);
            } else {
                ListResponse response = client.objects(stub -> stub.list(ListRequest.newBuilder().setKind(kindName).setShowSecrets(showSecrets).build()));
                warnIfStale(response.getStale(), response.getStaleReason());
                List<StoredObject> objects = response.getObjectsList();
                if (objects.isEmpty() && root.output() == OutputFormat.table) {
                    root.terminal().err().println("No " + kindName + " objects found.");
                    return 0;
                }
                printer.print(objects, false);
            }
        }
        return 0;
    }

    private void warnIfStale(boolean stale, String reason) {
        if (stale) {
            root.terminal().err().println("Warning: " + reason);
        }
    }
}
