package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Epoch;

/**
 * A member's state against the store's version (epoch, revision): Ready, Behind, Rejected or
 * Disconnected, with the reason when the state alone would mislead. Revisions are compared only
 * within one epoch: a node on an earlier store history is Behind, whatever its revision.
 */
final class MemberStates {

    private MemberStates() {
    }

    static Member withState(Member m, ConfigSnapshot store) {
        Epoch epoch = store.epoch();
        boolean sameEpoch = m.getAppliedEpoch().equals(epoch.id());
        Member.Builder b = m.toBuilder().setStateReason("");
        if (!m.getConnected()) {
            return b.setState(MemberState.DISCONNECTED).build();
        }
        boolean rejectedNow = m.getRejectedEpoch().equals(epoch.id()) && !m.getLastError().isEmpty()
                && (!sameEpoch || m.getRejectedRevision() > m.getAppliedRevision());
        if (rejectedNow) {
            return b.setState(MemberState.REJECTED).build();
        }
        if (!sameEpoch) {
            return b.setState(MemberState.BEHIND).setStateReason(isHeld(m, epoch)
                    ? "held on its config of an earlier store history: epoch " + epoch.id() + " started with an empty store ("
                            + epoch.reason() + "); run 'egctl accept-store' to make nodes follow it"
                    : "runs an earlier store history (epoch " + (m.getAppliedEpoch().isEmpty() ? "none" : m.getAppliedEpoch())
                            + "); the store's is " + epoch.id()).build();
        }
        return b.setState(m.getAppliedRevision() >= store.revision() ? MemberState.READY : MemberState.BEHIND).build();
    }

    /** A node that runs a config of another epoch, which the store's empty-started epoch does not replace unasked. */
    static boolean isHeld(Member m, Epoch storeEpoch) {
        return storeEpoch.holdsEarlierConfigs() && !m.getAppliedEpoch().equals(storeEpoch.id()) && m.getAppliedRevision() > 0;
    }

    /** Whether the node runs revision {@code revision} of epoch {@code epochId}, or a later one of it. */
    static boolean runs(Member m, String epochId, long revision) {
        return m.getAppliedEpoch().equals(epochId) && m.getAppliedRevision() >= revision;
    }
}
