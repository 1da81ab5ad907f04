package io.edgegate.egctl;

import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WriteResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code apply --wait}: follows the written version (epoch, revision) to every connected node,
 * printing each node's outcome as it arrives, and fails naming the nodes that rejected it, did
 * not answer in time, are held on an earlier store history, or are known but not connected.
 */
final class RevisionWaiter {

    private final PrintWriter out;

    RevisionWaiter(PrintWriter out) {
        this.out = out;
    }


    void await(ControlPlaneClient client, WriteResponse written, Duration timeout) {
        WaitRequest request = WaitRequest.newBuilder()
                .setRevision(written.getRevision())
                .setEpoch(written.getEpoch())
                .setCommittedAtMillis(written.getCommittedAtMillis())
                .setTimeoutMillis(timeout.toMillis())
                .build();
        List<String> failures = new ArrayList<>();
        int width = 4;
        Iterator<WaitEvent> events = client.clusterStream(stub -> stub.waitForRevision(request));
        while (client.call(events::hasNext)) {
            WaitEvent event = events.next();
            if (event.hasStarted()) {
                List<String> nodes = event.getStarted().getNodeIdsList();
                width = nodes.stream().mapToInt(String::length).max().orElse(4);
                out.println(nodes.isEmpty()
                        ? "no data-plane node is connected; nothing to wait for"
                        : "waiting for " + nodes.size() + (nodes.size() == 1 ? " node" : " nodes")
                                + " to apply revision " + written.getRevision() + " ...");
                out.flush();
                continue;
            }
            NodeOutcome node = event.getNode();
            String name = String.format("  %-" + width + "s  ", node.getNodeId());
            switch (node.getOutcome()) {
                case APPLIED -> out.println(name + (node.getDelayMillis() < 0 ? "applied (said as it reconnected)"
                        : "applied in " + node.getDelayMillis() + " ms")
                        + (node.getWarning().isEmpty() ? "" : " (warning: " + node.getWarning() + ")"));
                case REJECTED -> {
                    out.println(name + "rejected: " + node.getError());
                    failures.add(node.getNodeId() + " rejected it (" + node.getError() + ")");
                }
                case DISCONNECTED -> {
                    out.println(name + "disconnected before it said it applied it, and is not back");
                    failures.add(node.getNodeId() + " disconnected");
                }
                case NOT_REACHED -> {
                    out.println(name + "not reached: disconnected, last seen " + MemberPrinter.ago(System.currentTimeMillis() - node.getLastSeenMillis())
                            + ", serves revision " + node.getAppliedRevision()
                            + (node.getAppliedEpoch().equals(written.getEpoch()) ? "" : " of an earlier store history"));
                    failures.add(node.getNodeId() + " is not connected (egctl delete member " + node.getNodeId()
                            + " forgets a node that is gone for good)");
                }
                case HELD -> {
                    out.println(name + "held: " + node.getError());
                    failures.add(node.getNodeId() + " is held on an earlier config");
                }
                case TIMED_OUT -> {
                    out.println(name + "did not answer within " + timeout.toMillis() + " ms (runs revision "
                            + node.getAppliedRevision() + ")");
                    failures.add(node.getNodeId() + " did not answer within " + timeout.toMillis() + " ms");
                }
                default -> out.println(name + node.getOutcome());
            }
            out.flush();
        }
        if (!failures.isEmpty()) {
            throw new CommandFailure("revision " + written.getRevision() + " is not applied everywhere: " + String.join("; ", failures));
        }
    }
}
