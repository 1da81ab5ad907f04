package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ClusterEvent;
import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.WatchRequest;
import io.edgegate.api.v1.WriteRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A watch client that stops reading cannot make the control plane hold its events without bound. */
class WatchBoundTest {

    @RegisterExtension
    static final RunningControlPlane controlPlane = RunningControlPlane.inMemory();

    private static WriteRequest batch(int batch, int objects) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < objects; i++) {
            String name = "a-pipeline-with-a-rather-long-name-so-each-event-has-weight-" + batch + "-" + i;
            request.addDocuments(Document.newBuilder().setSource("test.yaml").setIndex(i + 1).setFirstLine(1)
                    .setText(TestObjects.pipeline(name)));
        }
        return request.build();
    }

    @Test
    void aWatchThatReadsNothingWhileAThousandChangesLandIsClosedWithAReason() throws Exception {
        // A small flow-control window, so the events queue at the control plane rather than in this client.
        ManagedChannel channel = NettyChannelBuilder.forTarget(controlPlane.replica().address()).usePlaintext()
                .flowControlWindow(4096).build();
        try {
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<Status> ended = new CompletableFuture<>();
            CompletableFuture<ClientCallStreamObserver<WatchRequest>> call = new CompletableFuture<>();
            ClusterServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(), new ClientResponseObserver<WatchRequest, ClusterEvent>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<WatchRequest> requests) {
                    requests.disableAutoRequestWithInitial(0);
                    call.complete(requests);
                }

                @Override
                public void onNext(ClusterEvent event) {
                    received.incrementAndGet();
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    ended.complete(Status.OK);
                }
            });
            // One apply of a thousand objects: the burst a reader gets time for. (Ten applies of a hundred could
            // take longer than that patience on a loaded machine, and the watch was then rightly closed mid-burst.)
            controlPlane.objects().apply(batch(0, 1_000));
            // The stuck client as the issue meets it: changes keep happening while it reads nothing.
            long stuckSince = System.nanoTime();
            AtomicInteger more = new AtomicInteger();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
                controlPlane.objects().apply(batch(100 + more.getAndIncrement(), 1));
                return System.nanoTime() - stuckSince > TimeUnit.SECONDS.toNanos(3);
            });
            // Now read: what the control plane held arrives, then the reason it gave up.
            call.get(5, TimeUnit.SECONDS).request(Integer.MAX_VALUE);
            Status status = ended.get(20, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("events behind because the client stopped reading");
            // Held: the burst (a reader gets time to catch up with one), then nothing once it was closed.
            assertThat(received.get()).as("events held for the stalled client").isGreaterThanOrEqualTo(1_000)
                    .isLessThan(1_000 + more.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWatchThatReadsKeepsUpWithAThousandObjectsInOneApply() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget(controlPlane.replica().address()).usePlaintext()
                .flowControlWindow(4096).build();
        try {
            BlockingQueue<ClusterEvent> events = new LinkedBlockingQueue<>();
            CompletableFuture<Status> ended = new CompletableFuture<>();
            ClusterServiceGrpc.newStub(channel).watch(WatchRequest.getDefaultInstance(), new StreamObserver<>() {
                @Override
                public void onNext(ClusterEvent event) {
                    events.add(event);
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    ended.complete(Status.OK);
                }
            });
            // A change the watch sees shows it is subscribed (it subscribes asynchronously).
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                controlPlane.objects().apply(batch(900, 1));
                return events.poll(100, TimeUnit.MILLISECONDS) != null;
            });
            events.clear();
            long revision = controlPlane.objects().apply(batch(901, 1_000)).getRevision();
            await().atMost(Duration.ofSeconds(15)).until(() -> events.stream()
                    .filter(e -> e.hasObject() && e.getObject().getRevision() == revision).count() == 1_000);
            assertThat(ended).as("a reader is never cut off").isNotDone();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
