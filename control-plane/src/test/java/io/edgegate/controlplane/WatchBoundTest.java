package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A watch client that stops reading cannot make the control plane hold its events without bound. */
class WatchBoundTest {

    @RegisterExtension
    static final RunningControlPlane controlPlane = RunningControlPlane.inMemory();

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
            for (int batch = 0; batch < 10; batch++) {
                WriteRequest.Builder request = WriteRequest.newBuilder();
                for (int i = 0; i < 100; i++) {
                    String name = "a-pipeline-with-a-rather-long-name-so-each-event-has-weight-" + batch + "-" + i;
                    request.addDocuments(Document.newBuilder().setSource("test.yaml").setIndex(i + 1).setFirstLine(1)
                            .setText(TestObjects.pipeline(name)));
                }
                controlPlane.objects().apply(request.build());
            }
            // Now read: what the control plane held arrives, then the reason it gave up.
            call.get(5, TimeUnit.SECONDS).request(Integer.MAX_VALUE);
            Status status = ended.get(20, TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).contains("fell more than 256 events behind").contains("stopped reading");
            assertThat(received.get()).as("events held for the stalled client").isLessThan(1_000);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
