package io.edgegate.egctl;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.GetResponse;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.WatchRequest;
import io.edgegate.cli.DurationConverter;
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

    @picocli.CommandLine.Option(names = {"-w", "--watch"},
            description = "After printing, print again whenever they change, each time under the change that caused it.")
    boolean watch;

    @picocli.CommandLine.Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --watch: stop after this long (default: until interrupted).")
    java.time.Duration timeout;

    @Override
    public Integer call() {
        try (ControlPlaneClient client = root.connect()) {
            print(client);
            if (watch) {
                boolean members = MEMBERS.contains(kind.toLowerCase(java.util.Locale.ROOT));
                String kindName = members ? null : Kinds.resolve(kind);
                client.call(() -> {
                    java.util.Iterator<ClusterEvent> events = client.clusterStream(stub -> (timeout == null ? stub
                            : stub.withDeadlineAfter(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                            .watch(WatchRequest.getDefaultInstance()));
                    try {
                        while (events.hasNext()) {
                            ClusterEvent event = events.next();
                            if (members ? event.getBodyCase() != ClusterEvent.BodyCase.OBJECT : concerns(event, kindName)) {
                                root.terminal().out().println();
                                root.terminal().out().println("--- " + WatchCommand.describe(event));
                                boolean gone = name != null && event.getBodyCase() == ClusterEvent.BodyCase.OBJECT
                                        && event.getObject().getAction() == io.edgegate.api.v1.Action.DELETED;
                                if (!gone) {
                                    print(client);
                                }
                                root.terminal().out().flush();
                            }
                        }
                    } catch (io.grpc.StatusRuntimeException e) {
                        if (e.getStatus().getCode() != io.grpc.Status.Code.DEADLINE_EXCEEDED) {
                            throw e;
                        }
                    }
                    return null;
                });
            }
        }
        return 0;
    }

    /** An object change of the kind (and name) shown, or a new store history. */
    private boolean concerns(ClusterEvent event, String kindName) {
        return switch (event.getBodyCase()) {
            case OBJECT -> event.getObject().getKey().getKind().equals(kindName)
                    && (name == null || event.getObject().getKey().getName().equals(name));
            case EPOCH -> true;
            default -> false;
        };
    }

    private void print(ControlPlaneClient client) {
        ObjectPrinter printer = new ObjectPrinter(root.terminal().out(), root.output());
        if (MEMBERS.contains(kind.toLowerCase(java.util.Locale.ROOT))) {
            ListMembersResponse members = client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
            if (members.getInsecure()) {
                root.terminal().err().println("Warning: this control plane runs with --insecure: no TLS, no tokens; "
                        + "anyone who reaches it controls the cluster");
            }
            warnIfStale(members.getStale(), members.getStaleReason());
            new MemberPrinter(root.terminal().out(), root.output()).print(members, System.currentTimeMillis());
            return;
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
                return;
            }
            printer.print(objects, false);
        }
    }

    private void warnIfStale(boolean stale, String reason) {
        if (stale) {
            root.terminal().err().println("Warning: " + reason);
        }
    }
}
