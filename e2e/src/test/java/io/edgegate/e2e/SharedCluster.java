package io.edgegate.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One three-node cluster for the whole run, shared by the test classes that need a healthy
 * cluster and cause no faults of their own: started for the first such class, stopped when the
 * run ends. Each class starts with no objects in the store and every node caught up with that.
 * Classes that stop etcd or control planes, or need another shape, start their own.
 */
final class SharedCluster implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);
    /** Every kind an object of a test can have, by its egctl short name. */
    private static final List<String> KINDS = List.of("hs", "hp", "pl", "cd", "zksr", "etcdsr");

    private Cluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
        running.reset();
        cluster = running.cluster;
    }

    Cluster cluster() {
        return cluster;
    }

    /** The cluster and where it keeps its files; closed by JUnit after the last test of the run. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {

        private final Path dir;
        private final Cluster cluster;

        Running() {
            try {
                dir = Files.createTempDirectory("edgegate-shared-cluster");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster = Cluster.start(dir, 3);
        }

        /**
         * Deletes every object and forgets nodes a class added and stopped, then waits until every
         * node of the cluster runs the empty store.
         */
        void reset() {
            for (String node : members().keySet()) {
                if (!cluster.nodeIds().contains(node)) {
                    EgctlRun forgotten = EgctlRun.inProcess(cluster.egctl(), "delete", "member", node);
                    if (forgotten.exit() != 0) {
                        throw new IllegalStateException("cannot forget node " + node + " of an earlier class: " + forgotten);
                    }
                }
            }
            for (String kind : KINDS) {
                EgctlRun listed = EgctlRun.inProcess(cluster.egctl(), "get", kind);
                List<String> names = listed.out().lines().skip(1).map(line -> line.trim().split("\\s+")[1]).toList();
                if (!names.isEmpty()) {
                    List<String> args = new ArrayList<>(List.of("delete", kind));
                    args.addAll(names);
                    EgctlRun deleted = EgctlRun.inProcess(cluster.egctl(), args.toArray(String[]::new));
                    if (deleted.exit() != 0) {
                        throw new IllegalStateException("cannot empty the shared cluster's store: " + deleted);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> members().entrySet().containsAll(readyNodes()));
        }

        private Set<Map.Entry<String, String>> readyNodes() {
            return cluster.nodeIds().stream().map(node -> Map.entry(node, "Ready")).collect(Collectors.toSet());
        }

        /** Every member egctl lists, with its state, read from its JSON output rather than the table. */
        private Map<String, String> members() {
            EgctlRun listed = EgctlRun.inProcess(cluster.egctl(), "get", "members", "-o", "json");
            if (listed.exit() != 0) {
                throw new IllegalStateException("cannot list the shared cluster's members: " + listed);
            }
            try {
                Map<String, String> states = new HashMap<>();
                new ObjectMapper().readTree(listed.out()).path("members")
                        .forEach(m -> states.put(m.path("node").asText(), m.path("state").asText()));
                return states;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            cluster.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
