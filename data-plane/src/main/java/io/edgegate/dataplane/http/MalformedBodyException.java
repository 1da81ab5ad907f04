package io.edgegate.dataplane.http;

/** A body whose framing is broken (chunked encoding that does not parse): the sender is at fault, answered with 400. */
public final class MalformedBodyException extends RuntimeException {

    public MalformedBodyException(Throwable cause) {
        super("malformed body framing: " + (cause == null ? "unknown" : cause.getMessage()), cause, false, false);
    }
}
