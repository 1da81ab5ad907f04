package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.NodeObjectStatus;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Epoch;
import io.edgegate.spec.ObjectKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the cluster is now, as {@code egctl get members} and {@code describe} show it: the nodes, and which runs each object's version. */
public final class ClusterOverview {

    /** An object's stored version and each node's status of it. */
    public record ObjectRollout(ObjectKey key, long revision, List<NodeObjectStatus> nodes) {
    }

    private final ClusterView view;
    private final ConfigCache cache;
    private final boolean insecure;

    public ClusterOverview(ClusterView view, ConfigCache cache, boolean insecure) {
        this.view = view;
        this.cache = cache;
        this.insecure = insecure;
    }

    public ListMembersResponse members() {
        ConfigSnapshot store = cache.current();
        List<Member> members = view.members(store);
        ListMembersResponse.Builder out = ListMembersResponse.newBuilder()
                .setRevision(store.revision())
                .setEpoch(ClusterApi.epoch(store.epoch(), members.stream().anyMatch(m -> MemberStates.isHeld(m, store.epoch()))))
                .addAllMembers(members)
                .setInsecure(insecure);
        if (!cache.storeReachable()) {
            // Its own nodes are shown as they are; the rest of the cluster as it was when etcd last answered.
            out.setStale(true).setStaleReason("this control plane does not reach etcd: nodes of other replicas and changes made "
                    + "through them since are not shown, and its nodes wait at revision " + store.revision());
        }
        return out.build();
    }

    /** Every stored object (kind, then name) with each node's status of its current version; specs are not included. */
    public List<ObjectRollout> objects() {
        ConfigSnapshot store = cache.current();
        List<Member> members = view.members(store);
        List<ObjectRollout> out = new ArrayList<>();
        for (StoredObject object : store.objects().values()) {
            List<NodeObjectStatus> nodes = members.stream()
                    .map(m -> status(m, object.getKey(), store.epoch(), object.getRevision())).toList();
            out.add(new ObjectRollout(object.getKey(), object.getRevision(), nodes));
        }
        out.sort(Comparator.comparing((ObjectRollout o) -> o.key().getKind()).thenComparing(o -> o.key().getName()));
        return out;
    }

    /** Each node's status of one object version. */
    List<NodeObjectStatus> statuses(ObjectKey key, long objectRevision) {
        ConfigSnapshot store = cache.current();
        return view.members(store).stream().map(m -> status(m, key, store.epoch(), objectRevision)).toList();
    }

    /** HTTPPipeline and Pipeline share one namespace, so a pipeline is known by its name alone. */
    private static boolean sameObject(ObjectKey a, ObjectKey b) {
        if (!a.getName().equals(b.getName())) {
            return false;
        }
        boolean pipelines = ObjectKind.byKindName(a.getKind()).map(ObjectKind::isPipeline).orElse(false)
                && ObjectKind.byKindName(b.getKind()).map(ObjectKind::isPipeline).orElse(false);
        return pipelines || a.getKind().equals(b.getKind());
    }

    /** Whether a node runs this version of the object: it applied a revision of the store's epoch at or after the object's. */
    private static NodeObjectStatus status(Member m, ObjectKey key, Epoch epoch, long objectRevision) {
        NodeObjectStatus.Builder s = NodeObjectStatus.newBuilder()
                .setNodeId(m.getNodeId()).setState(m.getState()).setAppliedRevision(m.getAppliedRevision());
        if (m.getState() == MemberState.DISCONNECTED) {
            s.setStatus("unknown");
        } else if (MemberStates.runs(m, epoch.id(), objectRevision)) {
            s.setStatus("applied");
        } else if (m.getRejectedEpoch().equals(epoch.id()) && m.getRejectedRevision() >= objectRevision && !m.getLastError().isEmpty()) {
            s.setStatus("rejected").setError(m.getLastError());
        } else if (MemberStates.isHeld(m, epoch)) {
            s.setStatus("held").setError(m.getStateReason());
        } else {
            s.setStatus("pending");
        }
        for (ObjectLiveStatus live : m.getLiveList()) {
            if (sameObject(live.getKey(), key) && m.getState() != MemberState.DISCONNECTED) {
                s.addAllLive(live.getLinesList()).setLiveAtMillis(m.getLiveAtMillis());
            }
        }
        return s.build();
    }
}
