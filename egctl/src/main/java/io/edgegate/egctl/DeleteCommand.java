package io.edgegate.egctl;

import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.DeleteResponse;
import io.edgegate.api.v1.ForgetMemberRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete objects named on the command line (KIND NAME...) or by files (-f). All or nothing.",
            "'delete member NAME...' forgets data-plane nodes that are gone for good (a node away is otherwise listed "
                    + "as Disconnected for 24 hours)."})
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "Delete the objects these documents describe.")
    List<String> files = List.of();

    @Parameters(paramLabel = "KIND NAME", arity = "0..*", description = "A kind (or alias) and one or more names.")
    List<String> args = List.of();

    @Override
    public Integer call() {
        DeleteRequest.Builder request = DeleteRequest.newBuilder();
        if (!files.isEmpty()) {
            if (!args.isEmpty()) {
                throw new CommandFailure("give either -f FILE or KIND NAME, not both");
            }
            request.addAllDocuments(DocumentSources.read(files, root.terminal()));
        } else {
            if (args.size() < 2) {
                throw new CommandFailure("what to delete? give KIND NAME (e.g. egctl delete hs server-demo) or -f FILE");
            }
            if (GetCommand.MEMBERS.contains(args.get(0).toLowerCase(Locale.ROOT))) {
                return forgetMembers(args.subList(1, args.size()));
            }
            for (String name : args.subList(1, args.size())) {
                request.addKeys(ObjectKey.newBuilder().setKind(Kinds.resolve(args.get(0))).setName(name));
            }
        }
        DeleteResponse response;
        try (ControlPlaneClient client = root.connect()) {
            response = client.objects(stub -> stub.delete(request.build()));
        }
        for (ObjectResult result : response.getResultsList()) {
            root.terminal().out().println(result.getKey().getKind() + "/" + result.getKey().getName() + " deleted");
        }
        return 0;
    }

    private int forgetMembers(List<String> nodeIds) {
        try (ControlPlaneClient client = root.connect()) {
            // All or nothing, as for objects: every name is checked before any is forgotten.
            Map<String, io.edgegate.api.v1.Member> known = new HashMap<>();
            client.cluster(stub -> stub.listMembers(io.edgegate.api.v1.ListMembersRequest.getDefaultInstance()))
                    .getMembersList().forEach(m -> known.put(m.getNodeId(), m));
            List<String> problems = new ArrayList<>();
            for (String nodeId : new LinkedHashSet<>(nodeIds)) {
                io.edgegate.api.v1.Member member = known.get(nodeId);
                if (member == null) {
                    problems.add("no member named " + nodeId);
                } else if (member.getConnected()) {
                    problems.add("node " + nodeId + " is connected to " + member.getControlPlane()
                            + "; a connected node cannot be forgotten (stop it first)");
                }
            }
            if (!problems.isEmpty()) {
                throw new CommandFailure(String.join("; ", problems) + "; no member was forgotten");
            }
            for (String nodeId : new LinkedHashSet<>(nodeIds)) {
                client.cluster(stub -> stub.forgetMember(ForgetMemberRequest.newBuilder().setNodeId(nodeId).build()));
                root.terminal().out().println("member " + nodeId + " forgotten");
            }
        }
        return 0;
    }
}
