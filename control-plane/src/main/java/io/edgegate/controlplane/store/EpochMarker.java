package io.edgegate.controlplane.store;

import static java.util.Objects.requireNonNull;

/** The epoch as the store holds it, with the revision that last wrote it (the guard for replacing it). */
public record EpochMarker(Epoch epoch, long modRevision) {

    public EpochMarker {
        requireNonNull(epoch, "epoch");
    }
}
