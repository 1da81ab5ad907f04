package io.edgegate.controlplane.store;

/** The request size the etcd the control plane starts itself accepts: as Easegress's embedded etcd, 10 MiB. */
public final class ManagedEtcdLimits {

    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private ManagedEtcdLimits() {
    }
}
