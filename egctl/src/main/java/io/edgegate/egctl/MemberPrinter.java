package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.spec.codec.DocumentParser;
import java.io.PrintWriter;
import java.time.Instant;

/** Prints the data-plane members: their state, the revision each runs and how far behind the store it is. */
final class MemberPrinter {

    private final PrintWriter out;
    private final OutputFormat format;

    MemberPrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    void print(ListMembersResponse response, long nowMillis) {
        long revision = response.getRevision();
        if (format == OutputFormat.table) {
            Table table = new Table("NODE", "ADDRESS", "STATE", "REVISION", "LAG", "LAST-SEEN", "CONTROL-PLANE", "ERROR");
            for (Member m : response.getMembersList()) {
                table.row(m.getNodeId(), m.getAddress(), state(m.getState()), m.getAppliedRevision(),
                        Math.max(0, revision - m.getAppliedRevision()), ago(nowMillis - m.getLastSeenMillis()),
                        m.getControlPlane().isEmpty() ? "-" : m.getControlPlane(),
                        m.getLastError().isEmpty() ? "-" : m.getLastError());
            }
            table.print(out);
            out.println("store revision: " + revision);
            out.flush();
            return;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("revision", revision);
        ArrayNode members = root.putArray("members");
        for (Member m : response.getMembersList()) {
            ObjectNode node = members.addObject();
            node.put("node", m.getNodeId());
            node.put("address", m.getAddress());
            node.put("version", m.getVersion());
            node.put("state", state(m.getState()));
            node.put("appliedRevision", m.getAppliedRevision());
            node.put("lag", Math.max(0, revision - m.getAppliedRevision()));
            node.put("connectedSince", Instant.ofEpochMilli(m.getConnectedSinceMillis()).toString());
            node.put("lastSeen", Instant.ofEpochMilli(m.getLastSeenMillis()).toString());
            node.put("controlPlane", m.getControlPlane());
            node.put("lastError", m.getLastError());
        }
        DocumentParser parser = new DocumentParser();
        out.print(format == OutputFormat.json ? parser.toPrettyJson(root) + "\n" : parser.toYaml(root));
        out.flush();
    }

    static String state(MemberState state) {
        return switch (state) {
            case READY -> "Ready";
            case BEHIND -> "Behind";
            case REJECTED -> "Rejected";
            case DISCONNECTED -> "Disconnected";
            default -> "Unknown";
        };
    }

    private static String ago(long millis) {
        long seconds = Math.max(0, millis / 1000);
        if (seconds < 120) {
            return seconds + "s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m ago";
        }
        return seconds / 3600 + "h ago";
    }
}
