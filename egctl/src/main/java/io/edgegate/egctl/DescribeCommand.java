package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.DescribeResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.NodeObjectStatus;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show an object and, for every node, whether it runs this version of it.")
final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Parameters(index = "0", paramLabel = "KIND", description = "A kind or alias (see api-resources).")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @picocli.CommandLine.Option(names = "--show-secrets", description = "Print secrets as stored (admin tokens only).")
    boolean showSecrets;

    @Override
    public Integer call() {
        DescribeResponse response;
        try (ControlPlaneClient client = root.connect()) {
            response = client.cluster(stub -> stub.describe(GetRequest.newBuilder()
                    .setKey(ObjectKey.newBuilder().setKind(Kinds.resolve(kind)).setName(name)).setShowSecrets(showSecrets).build()));
        }
        if (response.getStale()) {
            root.terminal().err().println("Warning: " + response.getStaleReason());
        }
        DocumentParser parser = new DocumentParser();
        ObjectNode spec;
        try {
            spec = parser.parseJson(response.getObject().getJson());
        } catch (SpecException e) {
            throw new CommandFailure(e.getMessage());
        }
        PrintWriter out = root.terminal().out();
        if (root.output() == OutputFormat.table) {
            out.println("Revision: " + response.getObject().getRevision());
            out.println("Spec:");
            parser.toYaml(spec).lines().forEach(line -> out.println("  " + line));
            out.println("Nodes:");
            if (response.getNodesCount() == 0) {
                out.println("  (no data-plane node has connected)");
            } else {
                Table table = new Table("  NODE", "STATE", "APPLIED-REVISION", "OBJECT", "ERROR");
                for (NodeObjectStatus n : response.getNodesList()) {
                    table.row("  " + n.getNodeId(), MemberPrinter.state(n.getState()), n.getAppliedRevision(), n.getStatus(),
                            n.getError().isEmpty() ? "-" : n.getError());
                }
                table.print(out);
                printLive(out, response);
            }
        } else {
            ObjectNode described = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            described.put("revision", response.getObject().getRevision());
            described.set("spec", spec);
            ArrayNode nodes = described.putArray("nodes");
            for (NodeObjectStatus n : response.getNodesList()) {
                ObjectNode node = nodes.addObject().put("node", n.getNodeId()).put("state", MemberPrinter.state(n.getState()))
                        .put("appliedRevision", n.getAppliedRevision()).put("object", n.getStatus()).put("error", n.getError());
                if (n.getLiveCount() > 0) {
                    n.getLiveList().forEach(node.putArray("live")::add);
                    node.put("liveAtMillis", n.getLiveAtMillis());
                }
            }
            out.print(root.output() == OutputFormat.json ? parser.toPrettyJson(described) + "\n" : parser.toYaml(described));
        }
        out.flush();
        return 0;
    }

    /** Each node's live state of the object (counters, circuits, server health), as it last reported it. */
    private static void printLive(PrintWriter out, DescribeResponse response) {
        if (response.getNodesList().stream().allMatch(n -> n.getLiveCount() == 0)) {
            return;
        }
        out.println("Live state (reported with each node's heartbeat):");
        for (NodeObjectStatus n : response.getNodesList()) {
            if (n.getLiveCount() == 0) {
                continue;
            }
            long age = Math.max(0, System.currentTimeMillis() - n.getLiveAtMillis()) / 1000;
            out.println("  " + n.getNodeId() + " (" + age + "s ago):");
            n.getLiveList().forEach(line -> out.println("    " + line));
        }
    }
}
