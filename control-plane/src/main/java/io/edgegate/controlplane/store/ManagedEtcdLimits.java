package io.edgegate.controlplane.store;

/**
 * What the etcd the control plane starts itself (and deploy/local-cluster.sh's) accepts in one
 * request: 10 MiB, as Easegress's embedded etcd, and 10,240 operations, so one apply can hold a
 * few thousand objects (etcd's defaults, 1.5 MiB and 128, refuse an apply of ~100 pipelines).
 */
public final class ManagedEtcdLimits {

    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    public static final int MAX_TXN_OPS = 10_240;

    private ManagedEtcdLimits() {
    }
}
