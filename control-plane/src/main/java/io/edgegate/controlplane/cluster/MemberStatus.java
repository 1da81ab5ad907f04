package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import java.time.Instant;

/** What the control plane knows of one data-plane node. Immutable; the registry swaps whole values. */
record MemberStatus(
        String nodeId,
        String address,
        String version,
        Object session,
        Instant connectedSince,
        Instant lastSeen,
        long appliedRevision,
        long rejectedRevision,
        String lastError) {

    boolean connected() {
        return session != null;
    }

    MemberStatus seen(Instant now) {
        return new MemberStatus(nodeId, address, version, session, connectedSince, now, appliedRevision, rejectedRevision, lastError);
    }

    MemberStatus applied(long revision, Instant now) {
        return new MemberStatus(nodeId, address, version, session, connectedSince, now,
                Math.max(revision, appliedRevision), rejectedRevision, "");
    }

    MemberStatus rejected(long revision, String error, Instant now) {
        return new MemberStatus(nodeId, address, version, session, connectedSince, now, appliedRevision, revision, error);
    }

    MemberStatus disconnected(Instant now) {
        return new MemberStatus(nodeId, address, version, null, connectedSince, now, appliedRevision, rejectedRevision, lastError);
    }

    MemberState state(long storeRevision) {
        if (!connected()) {
            return MemberState.DISCONNECTED;
        }
        if (rejectedRevision > appliedRevision && !lastError.isEmpty()) {
            return MemberState.REJECTED;
        }
        return appliedRevision >= storeRevision ? MemberState.READY : MemberState.BEHIND;
    }

    Member toProto(long storeRevision, String controlPlane) {
        return Member.newBuilder()
                .setNodeId(nodeId)
                .setAddress(address)
                .setVersion(version)
                .setState(state(storeRevision))
                .setAppliedRevision(appliedRevision)
                .setConnectedSinceMillis(connectedSince.toEpochMilli())
                .setLastSeenMillis(lastSeen.toEpochMilli())
                .setLastError(lastError)
                .setControlPlane(connected() ? controlPlane : "")
                .build();
    }
}
