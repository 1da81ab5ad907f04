package io.edgegate.dataplane.server;

/** A listener could not be set up as the config asks (port in use, two servers on one port …). */
public final class ListenerException extends Exception {

    public ListenerException(String message) {
        super(message);
    }
}
