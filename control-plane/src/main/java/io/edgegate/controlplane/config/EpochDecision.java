package io.edgegate.controlplane.config;

import io.edgegate.controlplane.store.Epoch;
import io.edgegate.controlplane.store.EpochMarker;
import io.edgegate.controlplane.store.StoreSnapshot;
import java.util.Optional;

/**
 * What a freshly loaded snapshot means for the store's history: the same epoch, a newer epoch
 * another replica started, or a change of history that must start a new epoch: no marker yet
 * (a new or wiped store), a marker older than the epoch already run, another etcd cluster, or a
 * revision or a newest config change below one already seen (a restored backup).
 *
 * @param after                  the epoch the new one must sort after
 * @param storeEmpty             the store has no objects (the new epoch holds nodes' earlier configs)
 * @param expectedMarkerRevision the marker's mod revision the new marker replaces (0: none)
 */
record EpochDecision(boolean startsNewEpoch, String reason, Epoch after, boolean storeEmpty, long expectedMarkerRevision) {

    private static final EpochDecision KEEP = new EpochDecision(false, "", null, false, 0);

    static EpochDecision of(Epoch current, long knownClusterId, long highestRevision, long headRevision,
                            StoreSnapshot snapshot) {
        boolean first = current == ConfigSnapshot.NO_EPOCH;
        boolean empty = snapshot.objects().isEmpty();
        Optional<EpochMarker> marker = snapshot.marker();
        if (marker.isEmpty()) {
            String reason = !first ? "the store's epoch marker is gone (etcd wiped or replaced?)"
                    : empty ? "a new, empty store" : "a store without an epoch marker";
            return start(reason, first ? null : current, empty, 0);
        }
        Epoch stored = marker.get().epoch();
        long guard = marker.get().modRevision();
        if (!first && current.isLaterThan(stored)) {
            return start("the store went back to an earlier history (its epoch " + stored.id() + " is older than "
                    + current.id() + "; restored from a backup?)", current, empty, guard);
        }
        if (!first && stored.id().equals(current.id())) {
            if (knownClusterId != 0 && snapshot.clusterId() != knownClusterId) {
                return start(String.format("another etcd cluster answers (id %x, was %x)", snapshot.clusterId(), knownClusterId),
                        current, empty, guard);
            }
            if (snapshot.revision() < highestRevision) {
                return start("the store's history went back from revision " + highestRevision + " to " + snapshot.revision()
                        + " (restored from a backup?)", current, empty, guard);
            }
            if (snapshot.headRevision() < headRevision) {
                // Other writes (member records) may have carried the revision past the old one: the config head cannot lie.
                return start("the store's history went back: its newest config change is at revision " + snapshot.headRevision()
                        + ", but one at revision " + headRevision + " was seen (restored from a backup?)", current, empty, guard);
            }
        }
        return KEEP;
    }

    private static EpochDecision start(String reason, Epoch after, boolean empty, long guard) {
        return new EpochDecision(true, reason, after, empty, guard);
    }
}
