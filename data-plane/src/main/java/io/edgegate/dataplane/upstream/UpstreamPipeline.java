package io.edgegate.dataplane.upstream;

import java.util.List;

/** Names of the handlers of an upstream HTTP/1.1 connection, so a tunnel can take the connection over. */
public final class UpstreamPipeline {

    public static final String TLS = "upstream-tls";
    public static final String CODEC = "upstream-codec";
    public static final String IDLE = "upstream-idle";
    public static final String HANDLER = "upstream-handler";

    /** Removed, in this order, when the connection becomes a byte tunnel. */
    public static final List<String> HTTP_HANDLERS = List.of(HANDLER, IDLE, CODEC);

    private UpstreamPipeline() {
    }
}
