package io.edgegate.controlplane.store;

/** The store (etcd) could not be reached or did not answer in time. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
