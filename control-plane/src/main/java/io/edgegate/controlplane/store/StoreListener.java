package io.edgegate.controlplane.store;

/** Receives the store's changes in revision order. */
public interface StoreListener {

    void onChange(StoreChange change);

    /** The watch ended (etcd compacted past it, or failed for good); the listener should reload. */
    void onWatchLost(Throwable cause);
}
