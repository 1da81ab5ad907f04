package io.edgegate.controlplane.store;

import java.util.Optional;

/** A cheap look at the store: its current revision, which cluster answered, and its epoch marker. */
public record StoreProbe(long revision, long clusterId, Optional<EpochMarker> marker) {
}
