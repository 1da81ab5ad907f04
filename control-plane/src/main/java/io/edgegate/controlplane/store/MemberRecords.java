package io.edgegate.controlplane.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.api.v1.TrafficSummary;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A member record's JSON in etcd: protobuf's JSON mapping of {@link Member} (names in lowerCamelCase,
 * 64-bit integers as strings, enums by name, default values left out), written and read field by
 * field. Every ACK of every node changes its record, so a replica writes one and reads one back per
 * node per change; protobuf's own {@code JsonFormat}, which walks descriptors, took ~60 µs to print
 * one and ~70 µs to read one on the control plane's compiler, 130 ms of every change at 1,000 nodes.
 * Records written by {@code JsonFormat} read the same, and it reads these: the format is unchanged.
 */
final class MemberRecords {

    private static final JsonFactory JSON = new JsonFactory();

    private MemberRecords() {
    }

    static byte[] write(Member m) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            string(g, "nodeId", m.getNodeId());
            string(g, "address", m.getAddress());
            string(g, "version", m.getVersion());
            if (m.getStateValue() != 0) {
                MemberState state = MemberState.forNumber(m.getStateValue());
                if (state != null) {
                    g.writeStringField("state", state.name());
                } else {
                    g.writeNumberField("state", m.getStateValue());
                }
            }
            int64(g, "appliedRevision", m.getAppliedRevision());
            int64(g, "connectedSinceMillis", m.getConnectedSinceMillis());
            int64(g, "lastSeenMillis", m.getLastSeenMillis());
            string(g, "lastError", m.getLastError());
            string(g, "controlPlane", m.getControlPlane());
            int64(g, "appliedAtMillis", m.getAppliedAtMillis());
            int64(g, "rejectedRevision", m.getRejectedRevision());
            int64(g, "rejectedAtMillis", m.getRejectedAtMillis());
            if (m.getConnected()) {
                g.writeBooleanField("connected", true);
            }
            if (m.getLiveCount() > 0) {
                g.writeArrayFieldStart("live");
                for (ObjectLiveStatus live : m.getLiveList()) {
                    writeLive(g, live);
                }
                g.writeEndArray();
            }
            int64(g, "liveAtMillis", m.getLiveAtMillis());
            string(g, "appliedEpoch", m.getAppliedEpoch());
            string(g, "stateReason", m.getStateReason());
            string(g, "rejectedEpoch", m.getRejectedEpoch());
            if (m.hasTraffic()) {
                writeTraffic(g, m.getTraffic());
            }
            int64(g, "trafficAtMillis", m.getTrafficAtMillis());
            string(g, "warning", m.getWarning());
            string(g, "listenAddress", m.getListenAddress());
            string(g, "adminListener", m.getAdminListener());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeLive(JsonGenerator g, ObjectLiveStatus live) throws IOException {
        g.writeStartObject();
        if (live.hasKey()) {
            g.writeObjectFieldStart("key");
            string(g, "kind", live.getKey().getKind());
            string(g, "name", live.getKey().getName());
            g.writeEndObject();
        }
        if (live.getLinesCount() > 0) {
            g.writeArrayFieldStart("lines");
            for (String line : live.getLinesList()) {
                g.writeString(line);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeTraffic(JsonGenerator g, TrafficSummary t) throws IOException {
        g.writeObjectFieldStart("traffic");
        int64(g, "windowMillis", t.getWindowMillis());
        float64(g, "requestsPerSecond", t.getRequestsPerSecond());
        float64(g, "serverErrorRatio", t.getServerErrorRatio());
        float64(g, "p99Seconds", t.getP99Seconds());
        int64(g, "activeConnections", t.getActiveConnections());
        int64(g, "activeRequests", t.getActiveRequests());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    /** As protobuf's mapping writes a 64-bit integer: a string (JavaScript's numbers lose digits past 2^53). */
    private static void int64(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeStringField(name, Long.toString(value));
        }
    }

    private static void float64(JsonGenerator g, String name, double value) throws IOException {
        // Negative zero is not the default: protobuf writes it (its bits differ from 0.0's).
        if (Double.doubleToRawLongBits(value) == 0) {
            return;
        }
        if (Double.isNaN(value)) {
            g.writeStringField(name, "NaN");
        } else if (Double.isInfinite(value)) {
            g.writeStringField(name, value > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumberField(name, value);
        }
    }

    /**
     * Reads a record; field names in lowerCamelCase or as in the .proto file, numbers as numbers
     * or strings, unknown fields skipped (a newer replica's record reads here without them).
     *
     * @throws IOException when it is not such a record
     */
    static Member read(byte[] json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            p.nextToken();
            Member.Builder m = Member.newBuilder();
            fields(p, (field, value) -> {
                switch (field) {
                    case "nodeId", "node_id" -> m.setNodeId(text(p));
                    case "address" -> m.setAddress(text(p));
                    case "version" -> m.setVersion(text(p));
                    case "state" -> m.setStateValue(state(p));
                    case "appliedRevision", "applied_revision" -> m.setAppliedRevision(int64(p));
                    case "connectedSinceMillis", "connected_since_millis" -> m.setConnectedSinceMillis(int64(p));
                    case "lastSeenMillis", "last_seen_millis" -> m.setLastSeenMillis(int64(p));
                    case "lastError", "last_error" -> m.setLastError(text(p));
                    case "controlPlane", "control_plane" -> m.setControlPlane(text(p));
                    case "appliedAtMillis", "applied_at_millis" -> m.setAppliedAtMillis(int64(p));
                    case "rejectedRevision", "rejected_revision" -> m.setRejectedRevision(int64(p));
                    case "rejectedAtMillis", "rejected_at_millis" -> m.setRejectedAtMillis(int64(p));
                    case "connected" -> m.setConnected(bool(p));
                    case "live" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            m.addLive(readLive(p));
                        }
                    }
                    case "liveAtMillis", "live_at_millis" -> m.setLiveAtMillis(int64(p));
                    case "appliedEpoch", "applied_epoch" -> m.setAppliedEpoch(text(p));
                    case "stateReason", "state_reason" -> m.setStateReason(text(p));
                    case "rejectedEpoch", "rejected_epoch" -> m.setRejectedEpoch(text(p));
                    case "traffic" -> m.setTraffic(readTraffic(p));
                    case "trafficAtMillis", "traffic_at_millis" -> m.setTrafficAtMillis(int64(p));
                    case "warning" -> m.setWarning(text(p));
                    case "listenAddress", "listen_address" -> m.setListenAddress(text(p));
                    case "adminListener", "admin_listener" -> m.setAdminListener(text(p));
                    default -> p.skipChildren();
                }
            });
            if (p.nextToken() != null) {
                throw new IOException("text after the record");
            }
            return m.build();
        }
    }

    private static ObjectLiveStatus readLive(JsonParser p) throws IOException {
        ObjectLiveStatus.Builder live = ObjectLiveStatus.newBuilder();
        fields(p, (field, value) -> {
            switch (field) {
                case "key" -> {
                    ObjectKey.Builder key = ObjectKey.newBuilder();
                    fields(p, (keyField, keyValue) -> {
                        switch (keyField) {
                            case "kind" -> key.setKind(text(p));
                            case "name" -> key.setName(text(p));
                            default -> p.skipChildren();
                        }
                    });
                    live.setKey(key);
                }
                case "lines" -> {
                    expect(value, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        live.addLines(text(p));
                    }
                }
                default -> p.skipChildren();
            }
        });
        return live.build();
    }

    private static TrafficSummary readTraffic(JsonParser p) throws IOException {
        TrafficSummary.Builder t = TrafficSummary.newBuilder();
        fields(p, (field, value) -> {
            switch (field) {
                case "windowMillis", "window_millis" -> t.setWindowMillis(int64(p));
                case "requestsPerSecond", "requests_per_second" -> t.setRequestsPerSecond(float64(p));
                case "serverErrorRatio", "server_error_ratio" -> t.setServerErrorRatio(float64(p));
                case "p99Seconds", "p99_seconds" -> t.setP99Seconds(float64(p));
                case "activeConnections", "active_connections" -> t.setActiveConnections(int64(p));
                case "activeRequests", "active_requests" -> t.setActiveRequests(int64(p));
                default -> p.skipChildren();
            }
        });
        return t.build();
    }

    /** One field of an object, the parser on its value (never null). */
    @FunctionalInterface
    private interface FieldReader {
        void read(String field, JsonToken value) throws IOException;
    }

    /** Reads the object the parser is on, field by field; a null is the default, as protobuf reads it. */
    private static void fields(JsonParser p, FieldReader reader) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_NULL) {
                reader.read(field, value);
            }
        }
        expect(p.currentToken(), JsonToken.END_OBJECT);
    }

    private static String text(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static boolean bool(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IOException("expected true or false, found " + token);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static long int64(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        try {
            if (token == JsonToken.VALUE_STRING) {
                return Long.parseLong(p.getText());
            }
            if (token == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
        } catch (NumberFormatException e) {
            throw new IOException("not a 64-bit integer: " + p.getText(), e);
        }
        throw new IOException("expected a 64-bit integer, found " + token);
    }

    private static double float64(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            return switch (p.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(p.getText());
                    } catch (NumberFormatException e) {
                        throw new IOException("not a number: " + p.getText(), e);
                    }
                }
            };
        }
        throw new IOException("expected a number, found " + token);
    }

    /** A state by name, or by number as protobuf writes one this build does not know. */
    private static int state(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return MemberState.valueOf(p.getText()).getNumber();
            } catch (IllegalArgumentException e) {
                // JsonFormat's parser, ignoring unknown fields, also leaves an unknown enum name at its default.
                return 0;
            }
        }
        throw new IOException("expected a member state, found " + token);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}
