package io.edgegate.dataplane.http;

/** A body went over its size limit ({@code clientMaxBodySize}): 413 if nothing was answered yet. */
public final class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(long maxBytes) {
        super("body larger than " + maxBytes + " bytes", null, false, false);
    }
}
