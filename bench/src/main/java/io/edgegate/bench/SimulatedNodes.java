package io.edgegate.bench;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeMessage;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many data-plane streams in one JVM: each says hello and acknowledges every update at once,
 * so what is measured is the control plane's fan-out, not a node's work. Streams share a
 * few HTTP/2 connections, as they would share a few proxies' worth of sockets.
 */
final class SimulatedNodes implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<StreamObserver<NodeMessage>> streams = new ArrayList<>();
    private final AtomicInteger synced = new AtomicInteger();

    SimulatedNodes(String controlPlane, int count, int connections) {
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forTarget(controlPlane)
                    .usePlaintext()
                    .eventLoopGroup(group)
                    .channelType(NioSocketChannel.class)
                    .directExecutor()
                    .maxInboundMessageSize(64 * 1024 * 1024)
                    .build());
        }
        for (int i = 0; i < count; i++) {
            ManagedChannel channel = channels.get(i % connections);
            Node node = new Node();
            StreamObserver<NodeMessage> out = ConfigDiscoveryGrpc.newStub(channel).stream(node);
            node.out = out;
            synchronized (node) {
                out.onNext(NodeMessage.newBuilder().setHello(NodeHello.newBuilder()
                        .setNodeId(String.format("sim-%05d", i)).setAddress("simulated").setVersion("bench")).build());
            }
            streams.add(out);
        }
    }

    /** How many streams have received their first snapshot. */
    int synced() {
        return synced.get();
    }

    @Override
    public void close() throws InterruptedException {
        for (StreamObserver<NodeMessage> s : streams) {
            try {
                s.onCompleted();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private final class Node implements StreamObserver<ConfigUpdate> {

        StreamObserver<NodeMessage> out;
        private boolean first = true;

        @Override
        public synchronized void onNext(ConfigUpdate update) {
            if (first) {
                first = false;
                synced.incrementAndGet();
            }
            // An ACK names the revision's epoch, as a data plane's does: without it the node runs "an earlier history".
            out.onNext(NodeMessage.newBuilder().setAck(ConfigAck.newBuilder()
                    .setEpoch(update.getEpoch()).setRevision(update.getRevision())).build());
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
