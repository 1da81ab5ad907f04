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
import io.edgegate.api.v1.AcceptStoreRequest;
import io.edgegate.async.Causes;
import io.edgegate.api.v1.AcceptStoreResponse;
import io.edgegate.api.v1.ForgetMemberRequest;
import io.edgegate.api.v1.ForgetMemberResponse;
import io.edgegate.api.v1.StoreEpoch;
import io.edgegate.controlplane.api.ApiException;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Epoch;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Members, waiting for a revision, watching the cluster, describing an object on every node,
 * forgetting a node that is gone, and accepting a store whose epoch holds nodes on earlier configs.
 */
public final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase {

    private final ClusterView view;
    private final MemberRegistry local;
    private final MemberBackend backend;
    private final ConfigCache cache;
    private final ObjectReads reads;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final boolean insecure;

    public ClusterApi(ClusterView view, MemberRegistry local, MemberBackend backend, ConfigCache cache, ObjectReads reads,
                      ScheduledExecutorService scheduler, Clock clock, boolean insecure) {
        this.insecure = insecure;
        this.view = view;
        this.local = local;
        this.backend = backend;
        this.cache = cache;
        this.reads = reads;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
        ConfigSnapshot store = cache.current();
        List<Member> members = view.members(store);
        response.onNext(ListMembersResponse.newBuilder()
                .setRevision(store.revision())
                .setEpoch(epoch(store.epoch(), members.stream().anyMatch(m -> MemberStates.isHeld(m, store.epoch()))))
                .addAllMembers(members)
                .setInsecure(insecure)
                .build());
        response.onCompleted();
    }

    /** The store's epoch as egctl shows it; {@code held} when some node keeps an earlier config because of it. */
    static StoreEpoch epoch(Epoch epoch, boolean held) {
        return StoreEpoch.newBuilder().setId(epoch.id()).setStartedAtMillis(epoch.startedAtMillis())
                .setReason(epoch.reason()).setHeld(held).build();
    }

    @Override
    public void waitForRevision(WaitRequest request, StreamObserver<WaitEvent> response) {
        new RevisionWait((ServerCallStreamObserver<WaitEvent>) response, view, cache::current, request, scheduler, clock).start();
    }

    @Override
    public void forgetMember(ForgetMemberRequest request, StreamObserver<ForgetMemberResponse> response) {
        Responder.respond(response, () -> {
            String nodeId = request.getNodeId();
            Member member = view.member(nodeId).orElseThrow(() ->
                    new ApiException(Status.Code.NOT_FOUND, "no member named " + nodeId));
            if (member.getConnected()) {
                throw new ApiException(Status.Code.FAILED_PRECONDITION, "node " + nodeId + " is connected to "
                        + member.getControlPlane() + "; a connected node cannot be forgotten (stop it first)");
            }
            local.forget(nodeId);
            return backend.remove(nodeId).thenApply(done -> ForgetMemberResponse.getDefaultInstance());
        });
    }

    @Override
    public void acceptStore(AcceptStoreRequest request, StreamObserver<AcceptStoreResponse> response) {
        Responder.respond(response, () -> cache.accept()
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(Causes.unwrap(error) instanceof IllegalStateException e
                        ? new ApiException(Status.Code.ABORTED, e.getMessage()) : error))
                .thenApply(epoch -> AcceptStoreResponse.newBuilder().setEpoch(epoch(epoch, false)).build()));
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<ClusterEvent> response) {
        new ClusterWatch((ServerCallStreamObserver<ClusterEvent>) response, view, cache, clock).start();
    }

    @Override
    public void describe(GetRequest request, StreamObserver<DescribeResponse> response) {
        Responder.respond(response, () -> reads.get(ObjectApi.id(request.getKey()), reads.showSecrets(request.getShowSecrets())).thenApply(read -> {
            StoredObject object = read.value();
            DescribeResponse.Builder out = DescribeResponse.newBuilder().setObject(object);
            read.staleReason().ifPresent(reason -> out.setStale(true).setStaleReason(reason));
            ConfigSnapshot store = cache.current();
            for (Member m : view.members(store)) {
                out.addNodes(status(m, object.getKey(), store.epoch(), object.getRevision()));
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
