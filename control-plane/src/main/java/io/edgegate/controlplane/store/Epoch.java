package io.edgegate.controlplane.store;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One history of the store. Revisions order the changes within a history; when the history
 * itself changes (a backup restored, etcd wiped or replaced) revision numbers repeat, so the
 * control plane starts a new epoch and versions compare as (epoch, revision). Ids sort by
 * their text in the order epochs started: {@code <start millis, 13 digits>-<8 hex>}.
 *
 * @param startedEmpty the store held no objects when the epoch started
 * @param accepted     an operator accepted an empty-started epoch for nodes that ran an earlier one
 */
public record Epoch(String id, long startedAtMillis, String reason, boolean startedEmpty, boolean accepted) {

    public Epoch {
        requireNonNull(id, "id");
        requireNonNull(reason, "reason");
    }

    /** A new epoch, later than {@code after} (if any) even when this machine's clock is behind the one that made it. */
    public static Epoch start(long nowMillis, Epoch after, String reason, boolean startedEmpty) {
        long at = after == null ? nowMillis : Math.max(nowMillis, after.startedAtMillis() + 1);
        String id = String.format("%013d-%08x", at, ThreadLocalRandom.current().nextInt());
        return new Epoch(id, at, reason, startedEmpty, false);
    }

    public boolean isLaterThan(Epoch other) {
        return other == null || id.compareTo(other.id()) > 0;
    }

    /** Whether nodes that run a config of an earlier epoch keep it instead of following this one. */
    public boolean holdsEarlierConfigs() {
        return startedEmpty && !accepted;
    }

    public Epoch acceptedByOperator() {
        return new Epoch(id, startedAtMillis, reason, startedEmpty, true);
    }
}
