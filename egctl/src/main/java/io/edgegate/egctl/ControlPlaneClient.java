package io.edgegate.egctl;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A connection to one control plane for the length of one command. */
final class ControlPlaneClient implements AutoCloseable {

    private static final long DEADLINE_SECONDS = 30;

    private final String server;
    private final ManagedChannel channel;

    ControlPlaneClient(String server) {
        this.server = server;
        this.channel = NettyChannelBuilder.forTarget(server).usePlaintext().maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    <T> T objects(Function<ObjectServiceGrpc.ObjectServiceBlockingStub, T> call) {
        return call(() -> call.apply(ObjectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
    }

    <T> T cluster(Function<ClusterServiceGrpc.ClusterServiceBlockingStub, T> call) {
        return call(() -> call.apply(ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)));
    }

    /** A server-streaming call without a fixed deadline (the server ends it). */
    <T> T clusterStream(Function<ClusterServiceGrpc.ClusterServiceBlockingStub, T> call) {
        return call(() -> call.apply(ClusterServiceGrpc.newBlockingStub(channel)));
    }

    <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new CommandFailure(Errors.describe(e, server));
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
