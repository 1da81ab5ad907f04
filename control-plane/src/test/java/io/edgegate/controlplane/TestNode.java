package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ConfigAck;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.NodeHello;
import io.edgegate.api.v1.NodeMessage;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven data-plane stream: says hello, collects updates, acknowledges on request.
 * Created paused, it reads nothing until {@link #request} asks for more, like a stalled node.
 */
final class TestNode implements ClientResponseObserver<NodeMessage, ConfigUpdate> {

    private final BlockingQueue<ConfigUpdate> updates = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> ended = new LinkedBlockingQueue<>();
    private final boolean paused;
    private ClientCallStreamObserver<NodeMessage> out;
    /** The epoch of the newest update received: acks echo it, as a data plane does. */
    private volatile String epoch = "";

    private TestNode(boolean paused) {
        this.paused = paused;
    }

    static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id) {
        return connect(stub, id, false);
    }

    static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id, boolean paused) {
        return connect(stub, id, paused, "", 0);
    }

    /** A node that says it runs revision {@code revision} of epoch {@code epoch} (a restarted or reconnecting node). */
    static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id, String epoch, long revision) {
        return connect(stub, id, false, epoch, revision);
    }

    private static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id, boolean paused, String epoch,
                                    long revision) {
        return connect(stub, NodeHello.newBuilder().setNodeId(id).setAddress("127.0.0.2").setVersion("test")
                .setAppliedEpoch(epoch).setAppliedRevision(revision).build(), paused);
    }

    /** A node that says it applies patches of large objects, as data planes of this version do. */
    static TestNode connectTakingPatches(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id) {
        return connect(stub, NodeHello.newBuilder().setNodeId(id).setAddress("127.0.0.2").setVersion("test")
                .setAcceptsPatches(true).build(), false);
    }

    /** A node that promises a heartbeat every {@code millis} (and sends one only when told to). */
    static TestNode connectPromisingHeartbeats(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, String id, long millis) {
        return connect(stub, NodeHello.newBuilder().setNodeId(id).setAddress("127.0.0.2").setVersion("test")
                .setHeartbeatMillis(millis).build(), false);
    }

    /** A node saying {@code hello} as it is. */
    static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, NodeHello hello) {
        return connect(stub, hello, false);
    }

    private static TestNode connect(ConfigDiscoveryGrpc.ConfigDiscoveryStub stub, NodeHello hello, boolean paused) {
        TestNode node = new TestNode(paused);
        node.epoch = hello.getAppliedEpoch();
        stub.stream(node);
        node.out.onNext(NodeMessage.newBuilder().setHello(hello).build());
        return node;
    }

    synchronized void heartbeat(io.edgegate.api.v1.Heartbeat heartbeat) {
        out.onNext(NodeMessage.newBuilder().setHeartbeat(heartbeat).build());
    }

    synchronized void heartbeat() {
        out.onNext(NodeMessage.newBuilder().setHeartbeat(io.edgegate.api.v1.Heartbeat.getDefaultInstance()).build());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<NodeMessage> requestStream) {
        out = requestStream;
        if (paused) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    /** Lets a paused node read {@code n} more updates. */
    void request(int n) {
        out.request(n);
    }

    ConfigUpdate next() throws InterruptedException {
        ConfigUpdate update = updates.poll(5, TimeUnit.SECONDS);
        assertThat(update).as("a config update within 5 s").isNotNull();
        return update;
    }

    /** Reads updates, acknowledging each as applied, until one at or after {@code revision}; returns that one. */
    ConfigUpdate ackUntil(long revision) throws InterruptedException {
        while (true) {
            ConfigUpdate update = next();
            ack(update.getRevision(), "");
            if (update.getRevision() >= revision) {
                return update;
            }
        }
    }

    ConfigUpdate poll(long millis) throws InterruptedException {
        return updates.poll(millis, TimeUnit.MILLISECONDS);
    }

    synchronized void ack(long revision, String error) {
        out.onNext(NodeMessage.newBuilder().setAck(ConfigAck.newBuilder().setEpoch(epoch).setRevision(revision).setError(error))
                .build());
    }

    /** An ACK of an applied revision that warns (e.g. the node could not save it to disk). */
    synchronized void ackWithWarning(long revision, String warning) {
        out.onNext(NodeMessage.newBuilder().setAck(ConfigAck.newBuilder().setEpoch(epoch).setRevision(revision).setWarning(warning))
                .build());
    }

    synchronized void close() {
        out.onCompleted();
    }

    @Override
    public void onNext(ConfigUpdate value) {
        epoch = value.getEpoch();
        updates.add(value);
    }

    /** How the control plane ended this stream (waits up to 5 s for it to end). */
    io.grpc.Status error() throws InterruptedException {
        Throwable t = ended.poll(5, TimeUnit.SECONDS);
        assertThat(t).as("the stream ended with an error within 5 s").isNotNull();
        return io.grpc.Status.fromThrowable(t);
    }

    @Override
    public void onError(Throwable t) {
        ended.add(t);
    }

    @Override
    public void onCompleted() {
    }
}
