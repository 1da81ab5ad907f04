package io.edgegate.dataplane.upstream;

/**
 * The upstream went silent: no answer within the answer timeout of the request being sent, or nothing
 * of a response body for the idle time while the client waited for more (NGINX's
 * {@code proxy_read_timeout}). The connection is closed, and the request is not sent again on it.
 */
public final class UpstreamTimeoutException extends UpstreamException {

    public UpstreamTimeoutException(String message) {
        super(message, null, false);
    }
}
