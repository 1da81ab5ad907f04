package io.edgegate.dataplane.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeMessage;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real gRPC config-discovery server that records what a node says and lets the test send each stream's updates. */
final class FakeControlPlane implements AutoCloseable {

    final BlockingQueue<NodeHello> hellos = new LinkedBlockingQueue<>();
    final BlockingQueue<ConfigAck> acks = new LinkedBlockingQueue<>();
    final BlockingQueue<StreamObserver<ConfigUpdate>> streams = new LinkedBlockingQueue<>();
    private final Server server;

    FakeControlPlane() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new ConfigDiscoveryGrpc.ConfigDiscoveryImplBase() {
            @Override
            public StreamObserver<NodeMessage> stream(StreamObserver<ConfigUpdate> updates) {
                return new StreamObserver<>() {
                    @Override
                    public void onNext(NodeMessage message) {
                        if (message.hasHello()) {
                            hellos.add(message.getHello());
                            streams.add(updates);
                        } else if (message.hasAck()) {
                            acks.add(message.getAck());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        updates.onCompleted();
                    }
                };
            }
        }).build().start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T value = queue.poll(10, TimeUnit.SECONDS);
        assertThat(value).as("within 10 s").isNotNull();
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** An object's stored JSON, from the YAML an operator writes. */
    static String json(String yaml) throws Exception {
        io.edgegate.spec.codec.DocumentParser parser = new io.edgegate.spec.codec.DocumentParser();
        return parser.toJson(parser.parse(new io.edgegate.spec.codec.SourceDocument("test", 0, 1, yaml)));
    }
}
