package io.edgegate.controlplane.discovery;

import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeMessage;
import io.edgegate.controlplane.cluster.MemberRegistry;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigDelta;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** Accepts data-plane streams; each becomes a {@link NodeSession}. */
public final class DiscoveryApi extends ConfigDiscoveryGrpc.ConfigDiscoveryImplBase {

    private final ConfigCache cache;
    private final MemberRegistry members;
    private final ConfigDelta.Memo deltas = new ConfigDelta.Memo();

    public DiscoveryApi(ConfigCache cache, MemberRegistry members) {
        this.cache = cache;
        this.members = members;
    }

    @Override
    public StreamObserver<NodeMessage> stream(StreamObserver<ConfigUpdate> responses) {
        ServerCallStreamObserver<ConfigUpdate> out = (ServerCallStreamObserver<ConfigUpdate>) responses;
        NodeSession session = new NodeSession(out, cache, members, deltas);
        out.setOnReadyHandler(session::sendLatest);
        out.setOnCancelHandler(session::closed);
        return session;
    }
}
