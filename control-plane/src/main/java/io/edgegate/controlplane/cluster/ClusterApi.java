package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.DescribeResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.MemberState;
import io.edgegate.api.v1.NodeObjectStatus;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectLiveStatus;
import io.edgegate.spec.ObjectKind;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WatchRequest;
import io.edgegate.controlplane.api.ObjectApi;
import io.edgegate.controlplane.api.ObjectReads;
import io.edgegate.controlplane.api.Responder;
import io.edgegate.controlplane.config.ConfigCache;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** Members, waiting for a revision, watching the cluster and describing an object on every node. */
public final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase {

    private final ClusterView view;
    private final ConfigCache cache;
    private final ObjectReads reads;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public ClusterApi(ClusterView view, ConfigCache cache, ObjectReads reads, ScheduledExecutorService scheduler, Clock clock) {
        this.view = view;
        this.cache = cache;
        this.reads = reads;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
        long revision = cache.current().revision();
        response.onNext(ListMembersResponse.newBuilder()
                .setRevision(revision)
                .addAllMembers(view.members(revision))
                .build());
        response.onCompleted();
    }

    @Override
    public void waitForRevision(WaitRequest request, StreamObserver<WaitEvent> response) {
        new RevisionWait((ServerCallStreamObserver<WaitEvent>) response, view, request, scheduler, clock).start();
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<ClusterEvent> response) {
        new ClusterWatch((ServerCallStreamObserver<ClusterEvent>) response, view, cache, clock).start();
    }

    @Override
    public void describe(GetRequest request, StreamObserver<DescribeResponse> response) {
        Responder.respond(response, () -> reads.get(ObjectApi.id(request.getKey())).thenApply(read -> {
            StoredObject object = read.value();
            DescribeResponse.Builder out = DescribeResponse.newBuilder().setObject(object);
            read.staleReason().ifPresent(reason -> out.setStale(true).setStaleReason(reason));
            for (Member m : view.members(cache.current().revision())) {
                out.addNodes(status(m, object.getKey(), object.getRevision()));
            }
            return out.build();
        }));
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

    /** Whether a node runs this version of the object: it applied a revision at or after the object's. */
    private static NodeObjectStatus status(Member m, ObjectKey key, long objectRevision) {
        NodeObjectStatus.Builder s = NodeObjectStatus.newBuilder()
                .setNodeId(m.getNodeId()).setState(m.getState()).setAppliedRevision(m.getAppliedRevision());
        if (m.getState() == MemberState.DISCONNECTED) {
            s.setStatus("unknown");
        } else if (m.getAppliedRevision() >= objectRevision) {
            s.setStatus("applied");
        } else if (m.getRejectedRevision() >= objectRevision && !m.getLastError().isEmpty()) {
            s.setStatus("rejected").setError(m.getLastError());
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
