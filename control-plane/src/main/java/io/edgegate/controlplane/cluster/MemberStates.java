package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;

/** A member's state relative to the store's revision: Ready, Behind, Rejected or Disconnected. */
final class MemberStates {

    private MemberStates() {
    }

    static MemberState of(Member m, long storeRevision) {
        if (!m.getConnected()) {
            return MemberState.DISCONNECTED;
        }
        if (m.getRejectedRevision() > m.getAppliedRevision() && !m.getLastError().isEmpty()) {
            return MemberState.REJECTED;
        }
        return m.getAppliedRevision() >= storeRevision ? MemberState.READY : MemberState.BEHIND;
    }

    static Member withState(Member m, long storeRevision) {
        return m.toBuilder().setState(of(m, storeRevision)).build();
    }
}
