package io.edgegate.dataplane.upstream;

/**
 * An upstream exchange failed. {@link #connectFailed()} tells whether the request never left
 * this node, which is what makes it safe to try elsewhere.
 */
public class UpstreamException extends RuntimeException {

    private final boolean connectFailed;

    public UpstreamException(String message, Throwable cause, boolean connectFailed) {
        super(message, cause, false, false);
        this.connectFailed = connectFailed;
    }

    public boolean connectFailed() {
        return connectFailed;
    }
}
