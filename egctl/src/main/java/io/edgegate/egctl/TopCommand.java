package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.TrafficSummary;
import io.edgegate.spec.codec.DocumentParser;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * Each node's traffic as it reported it with its last heartbeat (every 2 s): requests per second,
 * the share of 5xx answers, p99 to the response head, open connections and requests in flight.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"Show each node's traffic over its last heartbeat window (2 s): requests/s, 5xx share, p99, connections.",
            "p99 is the upper bound of the latency bucket holding it (1, 2, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10 s)."})
final class TopCommand implements Callable<Integer> {

    /** A summary older than this is marked: the node's replica may not have published a newer one. */
    static final long STALE_MILLIS = 15_000;

    @ParentCommand
    Egctl root;

    @Override
    public Integer call() {
        ListMembersResponse members;
        try (ControlPlaneClient client = root.connect()) {
            members = client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
        }
        print(root.terminal().out(), root.output(), members, System.currentTimeMillis());
        return 0;
    }

    static void print(PrintWriter out, OutputFormat format, ListMembersResponse members, long nowMillis) {
        if (format == OutputFormat.table) {
            Table table = new Table("NODE", "STATE", "REQ/S", "5XX", "P99", "CONNECTIONS", "IN-FLIGHT", "SAMPLED");
            for (Member m : members.getMembersList()) {
                if (!reported(m)) {
                    table.row(m.getNodeId(), MemberPrinter.state(m.getState()), "-", "-", "-", "-", "-",
                            m.getState() == MemberState.DISCONNECTED ? "-" : "not yet");
                    continue;
                }
                TrafficSummary t = m.getTraffic();
                table.row(m.getNodeId(), MemberPrinter.state(m.getState()), String.format(Locale.ROOT, "%.1f", t.getRequestsPerSecond()),
                        String.format(Locale.ROOT, "%.1f%%", 100 * t.getServerErrorRatio()), p99(t), t.getActiveConnections(),
                        t.getActiveRequests(), MemberPrinter.ago(nowMillis - m.getTrafficAtMillis())
                                + (nowMillis - m.getTrafficAtMillis() > STALE_MILLIS ? " (stale)" : ""));
            }
            table.print(out);
            out.flush();
            return;
        }
        ObjectNode rootNode = JsonNodeFactory.instance.objectNode();
        ArrayNode nodes = rootNode.putArray("nodes");
        for (Member m : members.getMembersList()) {
            ObjectNode node = nodes.addObject().put("node", m.getNodeId()).put("state", MemberPrinter.state(m.getState()));
            if (!reported(m)) {
                node.putNull("traffic");
                continue;
            }
            TrafficSummary t = m.getTraffic();
            ObjectNode traffic = node.putObject("traffic");
            traffic.put("requestsPerSecond", t.getRequestsPerSecond()).put("serverErrorRatio", t.getServerErrorRatio());
            if (t.getP99Seconds() < 0) {
                traffic.putNull("p99Seconds");
            } else {
                traffic.put("p99Seconds", t.getP99Seconds());
            }
            traffic.put("activeConnections", t.getActiveConnections()).put("activeRequests", t.getActiveRequests())
                    .put("windowMillis", t.getWindowMillis()).put("sampledAt", Instant.ofEpochMilli(m.getTrafficAtMillis()).toString());
        }
        DocumentParser parser = new DocumentParser();
        out.print(format == OutputFormat.json ? parser.toPrettyJson(rootNode) + "\n" : parser.toYaml(rootNode));
        out.flush();
    }

    /** A node that is connected and has sent a summary of a full window. */
    private static boolean reported(Member m) {
        return m.getState() != MemberState.DISCONNECTED && m.getTrafficAtMillis() > 0 && m.getTraffic().getWindowMillis() > 0;
    }

    private static String p99(TrafficSummary t) {
        if (t.getP99Seconds() < 0) {
            return "-";
        }
        double ms = t.getP99Seconds() * 1000;
        return ms < 1000 ? String.format(Locale.ROOT, "%.0fms", ms) : String.format(Locale.ROOT, "%.1fs", ms / 1000);
    }
}
