package io.edgegate.dataplane.runtime;

/** A revision this node cannot run; it keeps serving the previous one and reports this message. */
public final class ConfigRejectedException extends Exception {

    private final boolean mayPassLater;

    public ConfigRejectedException(String message) {
        this(message, false);
    }

    /** @param mayPassLater the host stood in the way (a port another program holds): trying the same revision again may work */
    public ConfigRejectedException(String message, boolean mayPassLater) {
        super(message);
        this.mayPassLater = mayPassLater;
    }

    public boolean mayPassLater() {
        return mayPassLater;
    }
}
