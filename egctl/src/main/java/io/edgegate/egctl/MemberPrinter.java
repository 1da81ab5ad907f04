package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.StoreEpoch;
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
        StoreEpoch epoch = response.getEpoch();
        if (format == OutputFormat.table) {
            Table table = new Table("NODE", "ADDRESS", "STATE", "REVISION", "LAG", "LAST-SEEN", "CONTROL-PLANE", "ERROR");
            for (Member m : response.getMembersList()) {
                String problem = !m.getLastError().isEmpty() ? m.getLastError()
                        : !m.getStateReason().isEmpty() ? m.getStateReason()
                        : m.getWarning().isEmpty() ? "" : "warning: " + m.getWarning();
                table.row(m.getNodeId(), m.getAddress(), state(m.getState()), m.getAppliedRevision(), lag(m, response),
                        ago(nowMillis - m.getLastSeenMillis()),
                        m.getControlPlane().isEmpty() ? "-" : m.getControlPlane(),
                        problem.isEmpty() ? "-" : problem);
            }
            table.print(out);
            out.println("store revision: " + revision + ", epoch " + epoch.getId() + " (since "
                    + Instant.ofEpochMilli(epoch.getStartedAtMillis()) + ": " + epoch.getReason() + ")");
            if (epoch.getHeld()) {
                out.println("WARNING: the store started this epoch empty, while nodes run a config of an earlier one; they keep it. "
                        + "Run 'egctl accept-store' to make every node follow the store as it is now.");
            }
            out.flush();
            return;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("revision", revision);
        root.put("insecure", response.getInsecure());
        root.putObject("epoch").put("id", epoch.getId())
                .put("startedAt", Instant.ofEpochMilli(epoch.getStartedAtMillis()).toString())
                .put("reason", epoch.getReason()).put("held", epoch.getHeld());
        ArrayNode members = root.putArray("members");
        for (Member m : response.getMembersList()) {
            ObjectNode node = members.addObject();
            node.put("node", m.getNodeId());
            node.put("address", m.getAddress());
            node.put("version", m.getVersion());
            node.put("state", state(m.getState()));
            node.put("stateReason", m.getStateReason());
            node.put("appliedEpoch", m.getAppliedEpoch());
            node.put("appliedRevision", m.getAppliedRevision());
            String lag = lag(m, response);
            if (lag.equals("-")) {
                node.putNull("lag");
            } else {
                node.put("lag", Long.parseLong(lag));
            }
            node.put("connectedSince", Instant.ofEpochMilli(m.getConnectedSinceMillis()).toString());
            node.put("lastSeen", Instant.ofEpochMilli(m.getLastSeenMillis()).toString());
            node.put("controlPlane", m.getControlPlane());
            node.put("lastError", m.getLastError());
            node.put("warning", m.getWarning());
        }
        DocumentParser parser = new DocumentParser();
        out.print(format == OutputFormat.json ? parser.toPrettyJson(root) + "\n" : parser.toYaml(root));
        out.flush();
    }

    /** Revisions behind the store, counted only within the store's epoch ("-" for a node on another history). */
    private static String lag(Member m, ListMembersResponse response) {
        if (!m.getAppliedEpoch().equals(response.getEpoch().getId())) {
            return "-";
        }
        return String.valueOf(Math.max(0, response.getRevision() - m.getAppliedRevision()));
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

    static String ago(long millis) {
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
