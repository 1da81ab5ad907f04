package io.edgegate.egctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.security.PkiDirectory;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * egctl's two transports against a real gRPC server over TLS: reads over the JDK's HTTP/2 client,
 * writes over gRPC's Netty transport, and every failure reported as gRPC's transport reports it —
 * a status sent without a message as it was sent, anything the JDK's client cannot see (a status
 * after the headers, an untrusted certificate) by asking again over gRPC.
 */
class QuickReadChannelTest {

    @TempDir
    Path dir;

    /** Method and user-agent of every call the server saw. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** What ListMembers does: answer, or fail in one of the ways a server can. */
    private final AtomicReference<String> behaviour = new AtomicReference<>("answer");
    private Server server;
    private PkiDirectory pki;

    @BeforeEach
    void startServer() throws Exception {
        pki = new PkiDirectory(dir.resolve("pki"));
        pki.issueServer("control-plane", List.of("127.0.0.1"));
        ServerInterceptor record = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                calls.add(call.getMethodDescriptor().getBareMethodName() + " " + headers.get(
                        Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)) + " " + headers.get(
                        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
                if (behaviour.get().equals("status after headers")) {
                    // Headers first, then the status alone: it arrives in trailers, which the JDK's client does not show.
                    call = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                        @Override
                        public void close(Status status, Metadata trailers) {
                            sendHeaders(new Metadata());
                            super.close(status, trailers);
                        }
                    };
                }
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(pki.certificate("control-plane").toFile(), pki.key("control-plane").toFile()).build())
                .addService(ServerInterceptors.intercept(new Cluster(), record))
                .addService(ServerInterceptors.intercept(new Objects(), record))
                .build().start();
    }

    @AfterEach
    void stopServer() {
        server.shutdownNow();
    }

    @Test
    void readsGoOverTheJdkClientAndWritesOverGrpc() {
        // Another HTTP client in the same JVM (an embedding program's, a test's) must outlive egctl's.
        java.net.http.HttpClient other = java.net.http.HttpClient.newHttpClient();
        Set<String> selectorsBefore = selectorThreads();
        try (ControlPlaneClient client = client(pki.caCertificate())) {
            ListMembersResponse members = client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
            assertThat(members.getMembersList()).extracting(Member::getNodeId).containsExactly("node-1");
            assertThat(members.getRevision()).isEqualTo(42);
            WriteResponse written = client.objects(stub -> stub.apply(WriteRequest.getDefaultInstance()));
            assertThat(written.getRevision()).isEqualTo(43);
        }
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("ListMembers Java-http-client/").endsWith(" Bearer egt_test.secret");
        assertThat(calls.get(1)).startsWith("Apply grpc-java-netty/").endsWith(" Bearer egt_test.secret");
        // Closed, the client leaves no selector thread behind for the JVM's exit to wait for, and stops no other.
        await().atMost(Duration.ofSeconds(2)).until(() -> selectorThreads().equals(selectorsBefore));
        assertThat(other.toString()).isNotEmpty();
    }

    private static Set<String> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.endsWith("-SelectorManager")).collect(Collectors.toSet());
    }

    @Test
    void aStatusSentWithoutAMessageArrivesAsItWasSent() {
        behaviour.set("refuse");
        try (ControlPlaneClient client = client(pki.caCertificate())) {
            assertThatThrownBy(() -> client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance())))
                    .isInstanceOf(CommandFailure.class)
                    .hasMessage("permission denied: role viewer cannot list members: 100% sure, naïvely");
        }
        assertThat(calls).as("answered once, by the JDK's client").hasSize(1).allMatch(c -> c.startsWith("ListMembers Java-http-client/"));
    }

    @Test
    void aStatusAfterTheHeadersIsAskedForAgainOverGrpc() {
        behaviour.set("status after headers");
        try (ControlPlaneClient client = client(pki.caCertificate())) {
            assertThatThrownBy(() -> client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance())))
                    .isInstanceOf(CommandFailure.class).hasMessage("permission denied: role viewer cannot list members: 100% sure, naïvely");
        }
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).startsWith("ListMembers Java-http-client/");
        assertThat(calls.get(1)).startsWith("ListMembers grpc-java-netty/");
    }

    @Test
    void anUntrustedCertificateIsReportedAsGrpcReportsItAndNoTokenIsSent() throws Exception {
        PkiDirectory other = new PkiDirectory(dir.resolve("other-pki"));
        other.issueServer("control-plane", List.of("127.0.0.1"));
        try (ControlPlaneClient client = client(other.caCertificate())) {
            assertThatThrownBy(() -> client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance())))
                    .isInstanceOf(CommandFailure.class)
                    .hasMessageStartingWith("cannot verify the certificate of the control plane at 127.0.0.1:" + server.getPort());
        }
        assertThat(calls).isEmpty();
    }

    /** A plaintext control plane checks no token (its --insecure turns tokens off): one sent would only cross the wire in clear. */
    @Test
    void noTokenIsSentOverPlaintext() throws Exception {
        ServerInterceptor record = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                calls.add(call.getMethodDescriptor().getBareMethodName() + " "
                        + headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
                return next.startCall(call, headers);
            }
        };
        Server plaintext = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Cluster(), record)).build().start();
        try (ControlPlaneClient client = new ControlPlaneClient(new Connection("127.0.0.1:" + plaintext.getPort(), Optional.empty(),
                Optional.of("egt_test.secret"), true))) {
            client.cluster(stub -> stub.listMembers(ListMembersRequest.getDefaultInstance()));
        } finally {
            plaintext.shutdownNow();
        }
        assertThat(calls).containsExactly("ListMembers null");
    }

    private ControlPlaneClient client(Path ca) {
        return new ControlPlaneClient(new Connection("127.0.0.1:" + server.getPort(), Optional.of(ca), Optional.of("egt_test.secret"), false));
    }

    private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
            if (behaviour.get().equals("answer")) {
                response.onNext(ListMembersResponse.newBuilder().setRevision(42).addMembers(Member.newBuilder().setNodeId("node-1")).build());
                response.onCompleted();
            } else {
                response.onError(Status.PERMISSION_DENIED.withDescription("role viewer cannot list members: 100% sure, naïvely")
                        .asRuntimeException());
            }
        }
    }

    private static final class Objects extends ObjectServiceGrpc.ObjectServiceImplBase {
        @Override
        public void apply(WriteRequest request, StreamObserver<WriteResponse> response) {
            response.onNext(WriteResponse.newBuilder().setRevision(43).build());
            response.onCompleted();
        }
    }
}
