package io.edgegate.controlplane.cluster;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.controlplane.config.ConfigCache;
import io.grpc.stub.StreamObserver;

/** {@code egctl get members}: the nodes, their state and the revision each has applied. */
public final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase {

    private final MemberRegistry members;
    private final ConfigCache cache;

    public ClusterApi(MemberRegistry members, ConfigCache cache) {
        this.members = members;
        this.cache = cache;
    }

    @Override
    public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
        long revision = cache.current().revision();
        response.onNext(ListMembersResponse.newBuilder()
                .setRevision(revision)
                .addAllMembers(members.list(revision))
                .build());
        response.onCompleted();
    }
}
