package io.edgegate.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.registry.ServiceInstance;
import io.edgegate.dataplane.registry.ServiceRegistry;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestPki;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A config goes into service whole or not at all. Each step of building one is made to fail in
 * turn — decoding, TLS, pipelines, a registry client, a listener — and after each the node
 * serves exactly the previous revision, the apply is rejected with the reason, and nothing the
 * failed build created is left behind: no listener bound, no registry client open, no thread.
 */
class AtomicApplyTest {

    /** Registry clients that count themselves, and fail to start for a registry named "broken". */
    private static final List<FakeRegistry> started = new CopyOnWriteArrayList<>();

    /** TLS contexts fail to build for a certificate named "broken" (one the decoder accepts, as a provider might still refuse it). */
    @RegisterExtension
    static final LocalNode node = new LocalNode(TlsProvider.AUTO, real -> spec -> {
        if (spec.name().equals("broken")) {
            throw new IllegalStateException("cannot reach the registry (injected)");
        }
        FakeRegistry registry = new FakeRegistry(spec.name());
        started.add(registry);
        return registry;
    }, real -> (spec, current) -> {
        if (spec.pairs().stream().anyMatch(p -> p.name().equals("broken"))) {
            throw new javax.net.ssl.SSLException("the provider refuses the key (injected)");
        }
        return real.get(spec, current);
    });

    private static final class FakeRegistry implements ServiceRegistry {
        final String name;
        volatile boolean closed;

        FakeRegistry(String name) {
            this.name = name;
        }

        @Override
        public List<ServiceInstance> instancesOf(String service) {
            return null;
        }

        @Override
        public boolean loaded() {
            return true;
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final int stablePort = FreePorts.pick();
    private final int newPort = FreePorts.pick();

    private static String server(String name, int port, String pipeline) {
        return """
                kind: HTTPServer
                name: %s
                port: %d
                rules:
                - paths:
                  - pathPrefix: /
                    backend: %s
                """.formatted(name, port, pipeline);
    }

    private static String answering(String pipeline, String body) {
        return """
                kind: HTTPPipeline
                name: %s
                flow:
                - filter: answer
                filters:
                - name: answer
                  kind: Mock
                  rules:
                  - code: 200
                    body: %s
                """.formatted(pipeline, body);
    }

    private static String registry(String name) {
        return """
                kind: EtcdServiceRegistry
                name: %s
                endpoints: ["http://127.0.0.1:2379"]
                prefix: /services/
                """.formatted(name);
    }

    private static StoredObject stored(String kind, String name, String json) {
        return StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind(kind).setName(name)).setJson(json).build();
    }

    /** Revision v1: one server answering "v1", one registry. */
    @BeforeEach
    void serveFirstRevision() throws Exception {
        node.apply(server("stable", stablePort, "p"), answering("p", "v1"), registry("kept"));
        assertThat(node.get(stablePort, "/").body()).isEqualTo("v1");
    }

    private static Set<Long> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getId).collect(Collectors.toSet());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Applies the next revision — the answer changed to "v2", a new server on another port, a new
     * registry, plus {@code fault} — and checks it is refused with {@code reason} and left no trace.
     */
    private void assertRejectedWithoutTrace(String reason, String... fault) {
        long served = node.appliedRevision();
        int openBefore = open().size();
        Set<Long> threadsBefore = threads();
        List<String> objects = new ArrayList<>(List.of(server("stable", stablePort, "p"), answering("p", "v2"),
                server("added", newPort, "p"), registry("kept"), registry("added")));
        objects.addAll(List.of(fault));

        assertThatThrownBy(() -> node.apply(objects.toArray(String[]::new)))
                .isInstanceOf(ConfigRejectedException.class).hasMessageContaining(reason);

        assertThat(node.appliedRevision()).as("the revision served").isEqualTo(served);
        assertThat(node.get(stablePort, "/").body()).isEqualTo("v1");
        assertThat(accepts(newPort)).as("a listener of the refused config").isFalse();
        assertThat(open()).as("registry clients open").hasSize(openBefore);
        Set<Long> leaked = threads();
        leaked.removeAll(threadsBefore);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> leaked.contains(t.getId()))
                .map(Thread::getName).filter(n -> !n.startsWith("HttpClient") && !n.startsWith("ForkJoinPool")))
                .as("threads started by the refused config").isEmpty();
    }

    private static List<FakeRegistry> open() {
        return started.stream().filter(r -> !r.closed).toList();
    }

    @Test
    void anObjectTheNodeCannotDecode() {
        long served = node.appliedRevision();
        assertThatThrownBy(() -> node.applyObjects(List.of(
                stored("HTTPServer", "stable", "{\"name\":\"stable\",\"kind\":\"HTTPServer\",\"port\":\"many\"}"))))
                .isInstanceOf(ConfigRejectedException.class).hasMessageContaining("HTTPServer/stable");
        assertThat(node.appliedRevision()).isEqualTo(served);
        assertThat(node.get(stablePort, "/").body()).isEqualTo("v1");
    }

    @Test
    void certificatesThatDoNotLoad() {
        X509Bundle certificate = TestPki.create("atomic-test-ca").server("a.example");
        assertRejectedWithoutTrace("cannot load its certificates", """
                kind: HTTPServer
                name: secure
                port: %d
                https: true
                certs:
                  broken: |
                %s
                keys:
                  broken: |
                %s
                rules:
                - paths:
                  - pathPrefix: /
                    backend: p
                """.formatted(FreePorts.pick(), indent(certificate.getCertificatePEM()), indent(certificate.getPrivateKeyPEM())));
    }

    private static String indent(String pem) {
        return pem.lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
    }

    @Test
    void aFilterThatCannotBeBuilt() {
        assertRejectedWithoutTrace("cannot build pipelines", """
                kind: HTTPPipeline
                name: files
                flow:
                - filter: files
                filters:
                - name: files
                  kind: StaticFile
                  root: %s
                """.formatted(Path.of("/nonexistent-" + System.nanoTime())));
    }

    @Test
    void aRegistryClientThatCannotStart() {
        assertRejectedWithoutTrace("cannot reach the registry", registry("broken"));
        assertThat(started).filteredOn(r -> r.name.equals("added")).allMatch(r -> r.closed);
    }

    @Test
    void aPortThatIsTaken() throws Exception {
        int taken = FreePorts.pick();
        try (ServerSocket squatter = new ServerSocket(taken, 50, InetAddress.getByName("127.0.0.1"))) {
            assertRejectedWithoutTrace("cannot listen on 127.0.0.1:" + taken, server("taken", taken, "p"));
        }
    }

    @Test
    void twoPipelinesOfOneNameWrittenIntoTheStoreByHand() {
        // Only possible by writing to etcd directly; the config built further than it should and left a port bound.
        assertRejectedWithoutTrace("two pipelines of one name", """
                kind: Pipeline
                name: p
                filters:
                - name: answer
                  kind: Mock
                  rules:
                  - code: 200
                    body: other
                """);
    }

    @Test
    void twoServersOnOnePort() {
        assertRejectedWithoutTrace("both listen on", server("twin", newPort, "p"));
    }

    @Test
    void aConfigThatBuildsGoesIntoServiceWholeAndRetiresWhatItDropped() throws Exception {
        node.apply(server("stable", stablePort, "p"), answering("p", "v2"), server("added", newPort, "p"),
                registry("kept"), registry("added"));
        assertThat(node.get(stablePort, "/").body()).isEqualTo("v2");
        assertThat(node.get(newPort, "/").body()).isEqualTo("v2");
        assertThat(open()).extracting(r -> r.name).contains("kept", "added");
        FakeRegistry kept = open().stream().filter(r -> r.name.equals("kept")).findFirst().orElseThrow();

        node.apply(server("stable", stablePort, "p"), answering("p", "v3"), registry("kept"));
        assertThat(node.get(stablePort, "/").body()).isEqualTo("v3");
        assertThat(accepts(newPort)).as("the dropped server's port").isFalse();
        assertThat(open()).extracting(r -> r.name).doesNotContain("added");
        assertThat(kept.closed).as("an unchanged registry keeps its client").isFalse();
    }
}
