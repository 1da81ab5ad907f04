package io.edgegate.dataplane.filter.proxy;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WaitStarted;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** gRPC through the proxy: a real grpc-java client and server, HTTP/2 on both sides, trailers intact. */
class GrpcProxyTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);
    private static Server grpcServer;
    private static ManagedChannel channel;
    private static final int PORT = FreePorts.pick();

    @BeforeAll
    static void start() throws Exception {
        int grpcPort = FreePorts.pick();
        grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", grpcPort))
                .addService(ServerInterceptors.intercept(new Cluster(), new TrailerAdder()))
                .build()
                .start();
        node.apply(server("grpc", PORT, "p"), proxyPipeline("p", "roundRobin", "http://127.0.0.1:" + grpcPort));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", PORT).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aUnaryCallGetsItsAnswerAndTheServersTrailers() {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        ListMembersResponse response = ClusterServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .listMembers(ListMembersRequest.getDefaultInstance());

        assertThat(response.getMembersList()).extracting(Member::getNodeId).containsExactly("upstream-node");
        assertThat(trailers.get().get(SERVED_BY)).isEqualTo("grpc-upstream");
    }

    @Test
    void aServerStreamDeliversEveryMessageAndItsErrorStatus() {
        Iterator<WaitEvent> events = ClusterServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .waitForRevision(WaitRequest.newBuilder().setRevision(3).build());
        List<Long> revisions = new ArrayList<>();

        assertThatThrownBy(() -> events.forEachRemaining(e -> revisions.add(e.getStarted().getRevision())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).isEqualTo("stream ends after 3 events");
                });
        assertThat(revisions).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aTrailersOnlyErrorKeepsItsStatus() {
        assertThatThrownBy(() -> ClusterServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .describe(io.edgegate.api.v1.GetRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    @Test
    void aServerThatSaidGoAwayGetsTheNextCallOnANewConnection() throws Exception {
        try (GoAwayAfterEachCall upstream = new GoAwayAfterEachCall()) {
            int port = FreePorts.pick();
            node.apply(server("goaway", port, "g"), proxyPipeline("g", "roundRobin", upstream.url()));
            ManagedChannel client = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                for (int call = 1; call <= 3; call++) {
                    ListMembersResponse response = ClusterServiceGrpc.newBlockingStub(client).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .listMembers(ListMembersRequest.getDefaultInstance());
                    assertThat(response.getMembersList()).as("call " + call).extracting(Member::getNodeId)
                            .containsExactly("connection-" + call);
                }
            } finally {
                client.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A gRPC server that answers one call per connection and then says GOAWAY, keeping the connection
     * open (as grpc-java's maximum connection age does during its grace time): each answer names its connection.
     */
    private static final class GoAwayAfterEachCall implements AutoCloseable {
        private final io.netty.channel.EventLoopGroup group =
                new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private final io.netty.channel.Channel listener;

        GoAwayAfterEachCall() throws InterruptedException {
            listener = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
                        @Override
                        protected void initChannel(io.netty.channel.Channel ch) {
                            String name = "connection-" + connections.incrementAndGet();
                            ch.pipeline().addLast(io.netty.handler.codec.http2.Http2FrameCodecBuilder.forServer().build(),
                                    new AnswerThenGoAway(name));
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
        }

        String url() {
            return "http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort();
        }

        @Override
        public void close() {
            listener.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static final class AnswerThenGoAway extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final String connection;

        AnswerThenGoAway(String connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.http2.Http2StreamFrame frame && endsStream(frame)) {
                answer(ctx, frame.stream());
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        private static boolean endsStream(io.netty.handler.codec.http2.Http2StreamFrame frame) {
            return frame instanceof io.netty.handler.codec.http2.Http2HeadersFrame headers && headers.isEndStream()
                    || frame instanceof io.netty.handler.codec.http2.Http2DataFrame data && data.isEndStream();
        }

        private void answer(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http2.Http2FrameStream stream) {
            byte[] message = ListMembersResponse.newBuilder().addMembers(Member.newBuilder().setNodeId(connection)).build().toByteArray();
            io.netty.buffer.ByteBuf framed = ctx.alloc().buffer().writeByte(0).writeInt(message.length).writeBytes(message);
            ctx.write(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(new io.netty.handler.codec.http2.DefaultHttp2Headers()
                    .status("200").set("content-type", "application/grpc")).stream(stream));
            ctx.write(new io.netty.handler.codec.http2.DefaultHttp2DataFrame(framed).stream(stream));
            ctx.write(new io.netty.handler.codec.http2.DefaultHttp2HeadersFrame(new io.netty.handler.codec.http2.DefaultHttp2Headers()
                    .set("grpc-status", "0"), true).stream(stream));
            ctx.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame(io.netty.handler.codec.http2.Http2Error.NO_ERROR));
        }
    }

    private static final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> observer) {
            observer.onNext(ListMembersResponse.newBuilder()
                    .addMembers(Member.newBuilder().setNodeId("upstream-node")).build());
            observer.onCompleted();
        }

        @Override
        public void waitForRevision(WaitRequest request, StreamObserver<WaitEvent> observer) {
            for (long i = 1; i <= request.getRevision(); i++) {
                observer.onNext(WaitEvent.newBuilder().setStarted(WaitStarted.newBuilder().setRevision(i)).build());
            }
            observer.onError(Status.FAILED_PRECONDITION
                    .withDescription("stream ends after " + request.getRevision() + " events").asRuntimeException());
        }
    }

    /** Adds a trailer to every call, so the test sees trailers cross the proxy. */
    private static final class TrailerAdder implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    trailers.put(SERVED_BY, "grpc-upstream");
                    super.close(status, trailers);
                }
            }, headers);
        }
    }
}
