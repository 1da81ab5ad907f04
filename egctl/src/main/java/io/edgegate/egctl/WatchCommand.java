package io.edgegate.egctl;

import io.edgegate.cli.DurationConverter;
import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.NodeAck;
import io.edgegate.api.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Stream object changes and node acknowledgements as they happen, with each node's delay.")
final class WatchCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @ParentCommand
    Egctl root;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (default: until interrupted).")
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = root.terminal().out();
        try (ControlPlaneClient client = root.connect()) {
            // Through the client, so a refusal (no token, wrong role, fell behind) reads as every other command's.
            client.call(() -> {
                Iterator<ClusterEvent> events = client.clusterStream(stub -> (timeout == null ? stub
                        : stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)).watch(WatchRequest.getDefaultInstance()));
                try {
                    while (events.hasNext()) {
                        out.println(describe(events.next()));
                        out.flush();
                    }
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                        throw e;
                    }
                }
                return null;
            });
        }
        return 0;
    }

    static String describe(ClusterEvent event) {
        String at = TIME.format(Instant.ofEpochMilli(event.getAtMillis())) + "  ";
        return switch (event.getBodyCase()) {
            case OBJECT -> at + "revision " + event.getObject().getRevision() + "  " + event.getObject().getKey().getKind()
                    + "/" + event.getObject().getKey().getName() + " "
                    + event.getObject().getAction().name().toLowerCase(Locale.ROOT);
            case ACK -> at + "revision " + event.getAck().getRevision() + "  " + ack(event.getAck());
            case CONNECTION -> at + "node " + event.getConnection().getNodeId() + (event.getConnection().getConnected()
                    ? " connected to " + event.getConnection().getControlPlane() : " disconnected");
            case EPOCH -> at + "THE STORE'S HISTORY CHANGED: epoch " + event.getEpoch().getId() + " started ("
                    + event.getEpoch().getReason() + "); nodes are sent a full snapshot of it";
            default -> at + event;
        };
    }

    private static String ack(NodeAck ack) {
        String delay = ack.getDelayMillis() >= 0 ? " (+" + ack.getDelayMillis() + " ms)" : "";
        return ack.getError().isEmpty()
                ? "node " + ack.getNodeId() + " applied" + delay
                : "node " + ack.getNodeId() + " rejected" + delay + ": " + ack.getError();
    }
}
