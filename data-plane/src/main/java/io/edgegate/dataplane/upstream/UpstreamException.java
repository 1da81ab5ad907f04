package io.edgegate.dataplane.upstream;

/**
 * An upstream exchange failed. {@link #beforeResponse()} tells whether any part of a response
 * had arrived; {@link #connectFailed()} whether the request never left this node.
 */
public final class UpstreamException extends RuntimeException {

    private final boolean connectFailed;

    public UpstreamException(String message, Throwable cause, boolean connectFailed) {
        super(message, cause, false, false);
        this.connectFailed = connectFailed;
    }

    public boolean connectFailed() {
        return connectFailed;
    }
}
