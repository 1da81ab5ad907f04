package io.edgegate.bench;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.NodeOutcome;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WaitEvent;
import io.edgegate.api.v1.WaitRequest;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.security.ControlChannelTls;
import io.edgegate.security.NodeIdentity;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.ReloadingTls;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.ManagedProcess;
import io.edgegate.testkit.ProjectRoot;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * bench/propagation: the delay from {@code egctl apply} (an Apply call) to each node's ACK,
 * for real data-plane processes and for many simulated streams against one control plane.
 * Every apply changes a pipeline; the delay of a node is measured on one machine clock from
 * just before the Apply call to the moment the control plane received that node's ACK.
 *
 * <pre>bench/propagation.sh [--real 3,10] [--simulated 1000,5000] [--applies 30] [--warmup 10] [--tls auto|openssl|jdk]</pre>
 *
 * <p>Plaintext ({@code --insecure}) unless {@code --tls} names a TLS implementation: then the
 * real-node scenarios run as a user's cluster does, with a CA, node certificates and an admin
 * token, both programs on that {@code --tls-provider}. Simulated streams stay plaintext: the
 * control plane holds each stream to the node its certificate names, and they share 50 connections.
 */
public final class PropagationBench {

    /** The bench's JVM options; options in the bench's own environment under the same names come after, and win. */
    private static final Map<String, String> JVM = Map.of(
            "CONTROL_PLANE_JAVA_OPTS", withCallersOptions("CONTROL_PLANE_JAVA_OPTS", "-Xmx1g"),
            "DATA_PLANE_JAVA_OPTS", withCallersOptions("DATA_PLANE_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"));

    private PropagationBench() {
    }

    private static String withCallersOptions(String variable, String options) {
        String callers = System.getenv(variable);
        return callers == null || callers.isBlank() ? options : options + " " + callers;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> real = List.of(3, 10);
        List<Integer> simulated = List.of(1000, 5000);
        int applies = 30;
        int warmup = 10;
        Optional<String> tls = Optional.empty();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--real" -> real = ints(args[i + 1]);
                case "--simulated" -> simulated = ints(args[i + 1]);
                case "--applies" -> applies = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--tls" -> tls = Optional.of(TlsProvider.parse(args[i + 1]).name().toLowerCase(java.util.Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("edgegate-bench-");
        System.out.printf("%-28s %6s %7s %7s %7s | %11s %11s | %s%n", "scenario", "acks", "p50 ms", "p99 ms", "max ms",
                "commit p50", "fanout p99", "control-plane RSS");
        for (int nodes : real) {
            String scenario = "real data planes: " + nodes + tls.map(provider -> ", TLS " + provider).orElse("");
            run(scenario, work.resolve("real-" + nodes), nodes, 0, warmup, applies, tls);
        }
        for (int nodes : simulated) {
            run("simulated streams: " + nodes, work.resolve("sim-" + nodes), 0, nodes, warmup, applies, Optional.empty());
        }
    }

    private static void run(String scenario, Path work, int realNodes, int simulatedNodes, int warmup, int applies,
                            Optional<String> tls) throws Exception {
        Files.createDirectories(work);
        List<ManagedProcess> processes = new ArrayList<>();
        int cpPort = FreePorts.pick();
        String server = "127.0.0.1:" + cpPort;
        PkiDirectory pki = new PkiDirectory(work.resolve("pki"));
        Path tokenFile = work.resolve("admin.token");
        try (EtcdProcess etcd = EtcdProcess.start()) {
            List<String> cpCommand = new ArrayList<>(List.of(ProjectRoot.bin("control-plane").toString(), "--listen", server,
                    "--etcd-endpoints", etcd.endpoint()));
            cpCommand.addAll(tls.isEmpty() ? List.of("--insecure") : tlsOptions(pki.issueServer("control-plane", List.of("127.0.0.1")),
                    tls.get(), List.of("--admin-token-file", tokenFile.toString())));
            ManagedProcess cp = ManagedProcess.start("control-plane", work, JVM, cpCommand);
            processes.add(cp);
            awaitPort("127.0.0.1", cpPort, 30);
            ManagedChannel channel = tls.isEmpty() ? NettyChannelBuilder.forTarget(server).usePlaintext().maxInboundMessageSize(64 << 20).build()
                    : adminChannel(server, pki, tokenFile);
            int httpPort = FreePorts.pick("127.0.0.2");
            apply(channel, server(httpPort), pipeline(0));
            for (int i = 0; i < realNodes; i++) {
                String address = "127.0.0." + (2 + i);
                List<String> nodeCommand = new ArrayList<>(List.of(ProjectRoot.bin("data-plane").toString(),
                        "--node-id", "node-" + i, "--control-plane", server, "--listen-address", address,
                        "--data-dir", work.resolve("node-" + i).toString(), "--io-threads", "1"));
                nodeCommand.addAll(tls.isEmpty() ? List.of("--insecure")
                        : tlsOptions(pki.issueNode(NodeIdentity.DEFAULT_TRUST_DOMAIN, "node-" + i), tls.get(), List.of()));
                processes.add(ManagedProcess.start("node-" + i, work, JVM, nodeCommand));
            }
            SimulatedNodes sims = simulatedNodes > 0 ? new SimulatedNodes(server, simulatedNodes, 50) : null;
            try {
                awaitMembers(channel, realNodes + simulatedNodes, 120);
                // Unmeasured applies first, so the JVMs have compiled the paths being measured.
                for (int i = 1; i <= warmup; i++) {
                    awaitAll(channel, apply(channel, pipeline(-i)));
                }
                Latencies latencies = new Latencies();
                Latencies commits = new Latencies();
                Latencies fanout = new Latencies();
                for (int i = 1; i <= applies; i++) {
                    long start = System.currentTimeMillis();
                    WriteResponse written = apply(channel, pipeline(i));
                    long toCommit = written.getCommittedAtMillis() - start;
                    commits.add(toCommit);
                    Iterator<WaitEvent> events = ClusterServiceGrpc.newBlockingStub(channel).waitForRevision(WaitRequest.newBuilder()
                            .setRevision(written.getRevision()).setCommittedAtMillis(written.getCommittedAtMillis())
                            .setTimeoutMillis(30_000).build());
                    while (events.hasNext()) {
                        WaitEvent event = events.next();
                        if (event.hasNode() && event.getNode().getOutcome() == NodeOutcome.Outcome.APPLIED) {
                            latencies.add(toCommit + event.getNode().getDelayMillis());
                            fanout.add(event.getNode().getDelayMillis());
                        } else if (event.hasNode()) {
                            System.err.println("  " + event.getNode().getNodeId() + ": " + event.getNode().getOutcome());
                        }
                    }
                }
                System.out.printf("%-28s %6d %7d %7d %7d | %11d %11d | %s%n", scenario, latencies.count(), latencies.percentile(50),
                        latencies.percentile(99), latencies.max(), commits.percentile(50), fanout.percentile(99), rss(cp.pid()));
            } finally {
                if (sims != null) {
                    sims.close();
                }
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
        }
    }

    /** A program's certificate, key and the cluster CA, the TLS implementation, and {@code more}. */
    private static List<String> tlsOptions(TlsFiles files, String provider, List<String> more) {
        List<String> options = new ArrayList<>(List.of("--tls-cert", files.certificate().orElseThrow().toString(),
                "--tls-key", files.key().orElseThrow().toString(), "--tls-ca", files.ca().toString(), "--tls-provider", provider));
        options.addAll(more);
        return options;
    }

    /** The bench's own channel to a secure control plane: the cluster CA, and the admin token it wrote once it started. */
    private static ManagedChannel adminChannel(String server, PkiDirectory pki, Path tokenFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(tokenFile) || Files.size(tokenFile) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the control plane wrote no admin token to " + tokenFile);
            }
            Thread.sleep(100);
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + Files.readString(tokenFile).strip());
        return NettyChannelBuilder.forTarget(server).maxInboundMessageSize(64 << 20)
                .sslContext(ControlChannelTls.client(new ReloadingTls(TlsFiles.trustOnly(pki.caCertificate()), Clock.systemUTC()), SslProvider.JDK))
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
    }

    private static void awaitAll(ManagedChannel channel, WriteResponse written) {
        ClusterServiceGrpc.newBlockingStub(channel).waitForRevision(WaitRequest.newBuilder()
                .setRevision(written.getRevision()).setTimeoutMillis(30_000).build()).forEachRemaining(e -> { });
    }

    private static WriteResponse apply(ManagedChannel channel, String... documents) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < documents.length; i++) {
            request.addDocuments(Document.newBuilder().setSource("bench").setIndex(i + 1).setFirstLine(1).setText(documents[i]));
        }
        return ObjectServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).apply(request.build());
    }

    private static String server(int port) {
        return "kind: HTTPServer\nname: bench\nport: " + port + "\nrules:\n- paths:\n  - pathPrefix: /\n    backend: bench\n";
    }

    /** A pipeline whose server changes with every apply, so every apply is a real change. */
    private static String pipeline(int generation) {
        return "name: bench\nkind: HTTPPipeline\nfilters:\n- name: proxy\n  kind: Proxy\n  mainPool:\n    servers:\n"
                + "    - url: http://127.0.0.1:" + (30000 + generation) + "\n";
    }

    private static void awaitMembers(ManagedChannel channel, int expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = (int) ClusterServiceGrpc.newBlockingStub(channel).listMembers(ListMembersRequest.getDefaultInstance())
                    .getMembersList().stream().filter(m -> m.getConnected() && m.getAppliedRevision() > 0).count();
            if (ready >= expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("only " + ready + " of " + expected + " nodes connected");
    }

    private static void awaitPort(String host, int port, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(host + ":" + port + " did not open");
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<Integer> ints(String csv) {
        return csv.isBlank() ? List.of() : java.util.Arrays.stream(csv.split(",")).map(Integer::parseInt).toList();
    }
}
