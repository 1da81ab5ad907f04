package io.edgegate.dataplane.server;

/** A listener could not be set up as the config asks (port in use, two servers on one port …). */
public final class ListenerException extends Exception {

    private final boolean mayPassLater;

    /** A config that can never be served as it is (two servers on one port). */
    public ListenerException(String message) {
        this(message, false);
    }

    /**
     * @param mayPassLater the host, not the config, stood in the way (the port is another program's, a bind
     *                     timed out): the same config may be served once that changes
     */
    public ListenerException(String message, boolean mayPassLater) {
        super(message);
        this.mayPassLater = mayPassLater;
    }

    public boolean mayPassLater() {
        return mayPassLater;
    }
}
