package io.edgegate.dataplane.runtime;

/** A revision this node cannot run; it keeps serving the previous one and reports this message. */
public final class ConfigRejectedException extends Exception {

    public ConfigRejectedException(String message) {
        super(message);
    }
}
