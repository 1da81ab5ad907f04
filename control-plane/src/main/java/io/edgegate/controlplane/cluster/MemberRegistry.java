package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.NodeHello;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The data-plane nodes this control plane has seen. A node is identified by its id; when it
 * reconnects, the newest stream (session) owns the entry, so a late close of an old stream
 * does not mark a live node as gone. Disconnected nodes are listed until they have been
 * gone for {@code forgetAfter}.
 */
public final class MemberRegistry {

    private final ConcurrentMap<String, MemberStatus> members = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration forgetAfter;
    private final String controlPlane;

    public MemberRegistry(Clock clock, Duration forgetAfter, String controlPlane) {
        this.clock = clock;
        this.forgetAfter = forgetAfter;
        this.controlPlane = controlPlane;
    }

    public void connected(NodeHello hello, Object session) {
        Instant now = clock.instant();
        members.put(hello.getNodeId(), new MemberStatus(hello.getNodeId(), hello.getAddress(), hello.getVersion(),
                session, now, now, hello.getAppliedRevision(), 0, ""));
    }

    public void seen(String nodeId, Object session) {
        members.computeIfPresent(nodeId, (id, m) -> m.session() == session ? m.seen(clock.instant()) : m);
    }

    public void applied(String nodeId, Object session, long revision) {
        members.computeIfPresent(nodeId, (id, m) -> m.session() == session ? m.applied(revision, clock.instant()) : m);
    }

    public void rejected(String nodeId, Object session, long revision, String error) {
        members.computeIfPresent(nodeId, (id, m) -> m.session() == session ? m.rejected(revision, error, clock.instant()) : m);
    }

    public void disconnected(String nodeId, Object session) {
        members.computeIfPresent(nodeId, (id, m) -> m.session() == session ? m.disconnected(clock.instant()) : m);
    }

    public List<Member> list(long storeRevision) {
        Instant forgetBefore = clock.instant().minus(forgetAfter);
        members.values().removeIf(m -> !m.connected() && m.lastSeen().isBefore(forgetBefore));
        return members.values().stream()
                .sorted(Comparator.comparing(MemberStatus::nodeId))
                .map(m -> m.toProto(storeRevision, controlPlane))
                .toList();
    }
}
