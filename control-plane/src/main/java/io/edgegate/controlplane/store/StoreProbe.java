package io.edgegate.controlplane.store;

import java.util.Optional;

/**
 * A cheap look at the store: its current revision, which cluster answered, its epoch marker,
 * and the revision of its newest config change.
 */
public record StoreProbe(long revision, long clusterId, Optional<EpochMarker> marker, long headRevision) {
}
