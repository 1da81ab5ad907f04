package io.edgegate.dataplane.pipeline;

/**
 * The largest WebSocket message, in bytes, a tunnel relays from the client and from the server
 * (-1: any size); a larger one closes the connection with status 1009 (message too big).
 */
public record TunnelLimits(long fromClient, long fromServer) {

    public static final TunnelLimits NONE = new TunnelLimits(-1, -1);

    public boolean isNone() {
        return fromClient < 0 && fromServer < 0;
    }
}
