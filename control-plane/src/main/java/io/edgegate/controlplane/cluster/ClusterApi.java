package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.DescribeResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
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
import io.edgegate.controlplane.store.Epoch;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import io.edgegate.controlplane.security.CallAuthorization;

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
    private final ClusterOverview overview;
    /** Where watches check their token again (see ClusterWatch): not the shared scheduler, as a check may wait for etcd. */
    private final ScheduledExecutorService tokenChecks;

    public ClusterApi(ClusterView view, MemberRegistry local, MemberBackend backend, ConfigCache cache, ObjectReads reads,
                      ScheduledExecutorService scheduler, Clock clock, ClusterOverview overview,
                      ScheduledExecutorService tokenChecks) {
        this.overview = overview;
        this.view = view;
        this.local = local;
        this.backend = backend;
        this.cache = cache;
        this.reads = reads;
        this.scheduler = scheduler;
        this.tokenChecks = tokenChecks;
        this.clock = clock;
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
        response.onNext(overview.members());
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
        new ClusterWatch((ServerCallStreamObserver<ClusterEvent>) response, view, cache, clock,
                CallAuthorization.tokenStillValid(), tokenChecks).start();
    }

    @Override
    public void describe(GetRequest request, StreamObserver<DescribeResponse> response) {
        Responder.respond(response, () -> reads.get(ObjectApi.id(request.getKey()), reads.showSecrets(request.getShowSecrets())).thenApply(read -> {
            StoredObject object = read.value();
            DescribeResponse.Builder out = DescribeResponse.newBuilder().setObject(object);
            read.staleReason().ifPresent(reason -> out.setStale(true).setStaleReason(reason));
            return out.addAllNodes(overview.statuses(object.getKey(), object.getRevision())).build();
        }));
    }
}
