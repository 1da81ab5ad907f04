package io.edgegate.egctl;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListMembersResponse;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.security.PkiDirectory;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build's training run for egctl's class-data archive (AppCDS). Run once by {@code mvn package}
 * under {@code -XX:ArchiveClassesAtExit}: it answers as a control plane would, over TLS, and runs
 * the commands people type most — reads over the quick transport, an apply over gRPC's — so their
 * classes are in the archive and {@code bin/egctl} starts without loading and verifying them again.
 */
public final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("egctl-class-data");
        Server server = null;
        try {
            PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
            pki.issueServer("control-plane", List.of("127.0.0.1", "localhost"));
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .sslContext(GrpcSslContexts.forServer(pki.certificate("control-plane").toFile(), pki.key("control-plane").toFile()).build())
                    .addService(new Cluster()).addService(new Objects()).build().start();
            Path object = Files.writeString(dir.resolve("object.yaml"), "kind: HTTPPipeline\nname: training\nflow:\n  - filter: mock\n"
                    + "filters:\n  - name: mock\n    kind: Mock\n    rules:\n      - code: 200\n");
            Map<String, String> env = Map.of("EGCTL_SERVER", "127.0.0.1:" + server.getPort(), "EGCTL_CA", pki.caCertificate().toString(),
                    "EGCTL_TOKEN", "egt_training.unused", "EGCTL_CONFIG", dir.resolve("none.yaml").toString());
            PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
            Terminal terminal = new Terminal(discard, discard, new ByteArrayInputStream(new byte[0]), env);
            for (String[] command : List.of(new String[] {"get", "members"}, new String[] {"get", "httppipelines"},
                    new String[] {"get", "hp", "-o", "yaml"}, new String[] {"apply", "-f", object.toString()})) {
                Egctl.run(command, terminal);
            }
        } finally {
            if (server != null) {
                server.shutdownNow();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
        // The JVM writes the archive as it exits.
        System.exit(0);
    }

    private static final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> response) {
            response.onNext(ListMembersResponse.newBuilder().setRevision(1).build());
            response.onCompleted();
        }
    }

    private static final class Objects extends ObjectServiceGrpc.ObjectServiceImplBase {
        @Override
        public void list(ListRequest request, StreamObserver<ListResponse> response) {
            response.onNext(ListResponse.newBuilder().setRevision(1).build());
            response.onCompleted();
        }

        @Override
        public void apply(WriteRequest request, StreamObserver<WriteResponse> response) {
            response.onNext(WriteResponse.newBuilder().setRevision(2).build());
            response.onCompleted();
        }
    }
}
