package io.edgegate.controlplane.console;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.controlplane.cluster.ClusterOverview;
import io.edgegate.controlplane.security.Caller;

/** The console's JSON: the cluster as it is now, and one event. Object specs are never included. */
final class ConsoleViews {

    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    private final ClusterOverview overview;

    ConsoleViews(ClusterOverview overview) {
        this.overview = overview;
    }

    /** {@code eventId}: the journal's position taken before the view, so following from it misses nothing. */
    String cluster(Caller caller, boolean insecure, String eventId) {
        StringBuilder json = new StringBuilder(4096);
        json.append("{\"eventId\":").append(quote(eventId))
                .append(",\"caller\":{\"name\":").append(quote(caller.name())).append(",\"role\":").append(quote(caller.role().label()))
                .append("},\"insecure\":").append(insecure)
                .append(",\"cluster\":").append(print(overview.members()))
                .append(",\"objects\":[");
        boolean first = true;
        for (ClusterOverview.ObjectRollout object : overview.objects()) {
            json.append(first ? "" : ",").append("{\"key\":").append(print(object.key()))
                    .append(",\"revision\":").append(object.revision()).append(",\"nodes\":[");
            for (int i = 0; i < object.nodes().size(); i++) {
                json.append(i == 0 ? "" : ",").append(print(object.nodes().get(i)));
            }
            json.append("]}");
            first = false;
        }
        return json.append("]}").toString();
    }

    String event(ClusterEvent event) {
        return print(event);
    }

    private String print(MessageOrBuilder message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print; these messages have none.
            throw new IllegalStateException(e);
        }
    }

    /** A JSON string (the responses are application/json with nosniff: no HTML escaping needed). */
    static String quote(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}
