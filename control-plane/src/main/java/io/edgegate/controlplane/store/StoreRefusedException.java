package io.edgegate.controlplane.store;

/** The store (etcd) answered and refused the request itself, e.g. as larger than it accepts: retrying will not help. */
public final class StoreRefusedException extends RuntimeException {

    public StoreRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
