package io.edgegate.dataplane.accesslog;

import io.edgegate.dataplane.pipeline.ResponseFlag;
import java.util.Arrays;

/**
 * The access log's JSON line. What lines of one loop share is encoded once and copied: the text
 * of the current second, and the node, server and backend fields of the last few backends seen
 * (config names, the same string objects for as long as a config lives).
 */
final class JsonAccessLine implements LineFormatter {

    private static final JsonLine.Key K_TIME = JsonLine.key("time");
    private static final JsonLine.Key K_NODE = JsonLine.key("node");
    private static final JsonLine.Key K_SERVER = JsonLine.key("server");
    private static final JsonLine.Key K_BACKEND = JsonLine.key("backend");
    private static final JsonLine.Key K_REQUESTID = JsonLine.key("requestId");
    private static final JsonLine.Key K_TRACEID = JsonLine.key("traceId");
    private static final JsonLine.Key K_CLIENTIP = JsonLine.key("clientIp");
    private static final JsonLine.Key K_METHOD = JsonLine.key("method");
    private static final JsonLine.Key K_HOST = JsonLine.key("host");
    private static final JsonLine.Key K_PATH = JsonLine.key("path");
    private static final JsonLine.Key K_PROTOCOL = JsonLine.key("protocol");
    private static final JsonLine.Key K_STATUS = JsonLine.key("status");
    private static final JsonLine.Key K_FILTER = JsonLine.key("filter");
    private static final JsonLine.Key K_RESULT = JsonLine.key("result");
    private static final JsonLine.Key K_UPSTREAM = JsonLine.key("upstream");
    private static final JsonLine.Key K_UPSTREAMSTATUS = JsonLine.key("upstreamStatus");
    private static final JsonLine.Key K_RESPONSEFLAGS = JsonLine.key("responseFlags");
    private static final JsonLine.Key K_DURATIONMS = JsonLine.key("durationMs");
    private static final JsonLine.Key K_REQUESTBYTES = JsonLine.key("requestBytes");
    private static final JsonLine.Key K_RESPONSEBYTES = JsonLine.key("responseBytes");
    private static final JsonLine.Key K_TOTALMS = JsonLine.key("totalMs");
    private static final JsonLine.Key K_USERAGENT = JsonLine.key("userAgent");
    /** Slots of the names cache, by the backend's hash: a server rarely has more backends busy at once. */
    private static final int NAME_SLOTS = 16;

    private final String node;
    private final IsoTime clock = new IsoTime();
    private final Names[] names = new Names[NAME_SLOTS];

    /** {@code ,"node":…,"server":…,"backend":…} of one server and backend. */
    private record Names(String server, String backend, byte[] encoded) {
    }

    JsonAccessLine(String node) {
        this.node = node;
    }

    @Override
    public void append(LineBuffer out, AccessRecord r) {
        JsonLine json = new JsonLine(out)
                .time(K_TIME, r.epochMillis(), clock)
                .fields(names(r.server(), r.backend()))
                .string(K_REQUESTID, r.requestId())
                // A hex id: nothing to escape.
                .plain(K_TRACEID, r.traceId())
                .string(K_CLIENTIP, r.clientIp())
                .string(K_METHOD, r.method())
                .string(K_HOST, r.host())
                .string(K_PATH, r.path())
                .string(K_PROTOCOL, r.protocol())
                .number(K_STATUS, r.status())
                .string(K_FILTER, r.filter())
                .string(K_RESULT, r.result())
                .string(K_UPSTREAM, r.upstream());
        if (r.upstreamStatus() > 0) {
            json.number(K_UPSTREAMSTATUS, r.upstreamStatus());
        } else {
            json.nullValue(K_UPSTREAMSTATUS);
        }
        json.string(K_RESPONSEFLAGS, ResponseFlag.format(r.responseFlags()))
                .millis(K_DURATIONMS, r.durationNanos())
                .number(K_REQUESTBYTES, r.requestBytes())
                .number(K_RESPONSEBYTES, r.responseBytes())
                .millis(K_TOTALMS, r.totalNanos())
                .string(K_USERAGENT, r.userAgent())
                .close();
    }

    private byte[] names(String server, String backend) {
        int slot = (server.hashCode() * 31 + backend.hashCode()) & (NAME_SLOTS - 1);
        Names cached = names[slot];
        // The same objects (a config's names) nearly always; equal strings of another config are as good.
        if (cached != null && (cached.server == server || cached.server.equals(server))
                && (cached.backend == backend || cached.backend.equals(backend))) {
            return cached.encoded;
        }
        LineBuffer text = new LineBuffer(128);
        // Server and backend names are ones a spec validated, but they go through the escaper like any string: a name is cached, not trusted.
        new JsonLine(text).string(K_NODE, node).string(K_SERVER, server).string(K_BACKEND, backend);
        // The object's opening brace becomes the comma that follows the time: the run of fields, ready to copy.
        byte[] encoded = Arrays.copyOf(text.bytes(), text.length());
        encoded[0] = ',';
        names[slot] = new Names(server, backend, encoded);
        return encoded;
    }
}
