package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.EtcdProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status we print is a promise: a cluster whose etcd is restored from a backup, wiped, or
 * compacted behind a control plane's back, and a node whose control plane dies, with real
 * etcd, control-plane and data-plane processes. Nodes end up serving what the store holds, and
 * egctl never says a node runs what it does not.
 */
class StoreHistoryIT {

    private static final Pattern EPOCH = Pattern.compile("epoch (\\S+) \\(since [^:]+:\\d\\d:\\d\\d[^:]*: ([^)]*)\\)");

    /** The backends a node's /pipeline is answered by over {@code requests} requests (round robin). */
    private static Set<String> servedBy(Cluster cluster, String node, int port, int requests) throws IOException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            names.add(cluster.request(node, port, "/pipeline").headers().firstValue(EchoBackend.NAME_HEADER).orElse("none"));
        }
        return names;
    }

    private static EgctlRun applyOnceEtcdAnswers(EgctlTarget server, String yaml, String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "apply";
        System.arraycopy(extra, 0, args, 1, extra.length);
        args[extra.length + 1] = "-f";
        args[extra.length + 2] = "-";
        // Right after etcd restarts the control plane's client reconnects; an operator would retry too.
        return await().atMost(Duration.ofSeconds(15)).until(() -> EgctlRun.withStdin(server, yaml, args),
                run -> !run.err().contains("UNAVAILABLE") && !run.err().contains("unauthenticated"));
    }

    private static Matcher epochLine(String members) {
        Matcher m = EPOCH.matcher(members);
        assertThat(m.find()).as("an epoch line in:\n" + members).isTrue();
        return m;
    }

    @Test
    void aRestoredBackupReachesEveryNodeAndTheNextApplyIsReallyApplied(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("backup");
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 3)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            EtcdProcess etcd = cluster.etcd();
            etcd.stop();
            etcd.copyDataTo(backup);
            etcd.startAgain();
            EgctlRun twoServers = applyOnceEtcdAnswers(cluster.egctl(), examples.pipelineOver(1, 2), "--wait");
            assertThat(twoServers.exit()).as(twoServers.toString()).isZero();
            for (String node : cluster.nodeIds()) {
                assertThat(servedBy(cluster, node, examples.port, 6)).containsExactlyInAnyOrder("backend-1", "backend-2");
            }
            String before = epochLine(EgctlRun.inProcess(cluster.egctl(), "get", "members").out()).group(1);

            // node-3 is away while etcd is restored from the backup, which holds all three servers.
            cluster.stopDataPlane("node-3");
            etcd.stop();
            etcd.replaceDataWith(backup);
            etcd.startAgain();
            long answering = System.nanoTime();

            for (String node : List.of("node-1", "node-2")) {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> servedBy(cluster, node, examples.port, 3).contains("backend-3"));
            }
            assertThat(System.nanoTime() - answering).as("the restored spec served within 5 s").isLessThan(5_000_000_000L);
            EgctlRun members = await().atMost(Duration.ofSeconds(5)).until(
                    () -> EgctlRun.inProcess(cluster.egctl(), "get", "members"),
                    run -> run.out().lines().filter(l -> l.contains(" Ready ")).count() == 2);
            Matcher epoch = epochLine(members.out());
            assertThat(epoch.group(1)).as(members.out()).isNotEqualTo(before);
            assertThat(epoch.group(2)).contains("went back");
            assertThat(members.out()).containsPattern("node-3\\s+\\S+\\s+Disconnected");

            // A change while node-3 is away: really applied by the others, node-3 named as not reached.
            EgctlRun withoutFirst = applyOnceEtcdAnswers(cluster.egctl(), examples.pipelineOver(2, 3), "--wait");
            assertThat(withoutFirst.exit()).as(withoutFirst.toString()).isEqualTo(1);
            assertThat(withoutFirst.out()).containsPattern("node-1\\s+applied in \\d+ ms")
                    .containsPattern("node-2\\s+applied in \\d+ ms")
                    .containsPattern("node-3\\s+not reached: disconnected");
            for (String node : List.of("node-1", "node-2")) {
                assertThat(servedBy(cluster, node, examples.port, 6)).containsExactlyInAnyOrder("backend-2", "backend-3");
            }

            // node-3 comes back (its last-good file is of the old epoch): it gets the change.
            cluster.startDataPlane("node-3");
            cluster.awaitServing("node-3");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> servedBy(cluster, "node-3", examples.port, 6)
                    .equals(Set.of("backend-2", "backend-3")));

            // node-2 restarts while no control plane answers: it serves its last-good file, in the new epoch.
            cluster.killControlPlane(0);
            cluster.killDataPlane("node-2");
            cluster.startDataPlane("node-2");
            cluster.awaitServing("node-2");
            assertThat(servedBy(cluster, "node-2", examples.port, 6)).containsExactlyInAnyOrder("backend-2", "backend-3");
            cluster.startControlPlane(0);
            EgctlRun rejoined = await().atMost(Duration.ofSeconds(15)).until(
                    () -> EgctlRun.inProcess(cluster.egctl(), "get", "members"),
                    run -> run.out().lines().filter(l -> l.contains(" Ready ")).count() == 3);
            assertThat(epochLine(rejoined.out()).group(1)).isEqualTo(epoch.group(1));
        }
    }

    @Test
    void aStoreThatComesBackEmptyLeavesNodesServingUntilAnOperatorAcceptsIt(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 2)) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> servedBy(cluster, "node-1", examples.port, 3).size() == 3);

            EtcdProcess etcd = cluster.etcd();
            etcd.stop();
            etcd.wipeData();
            etcd.startAgain();

            EgctlRun members = await().atMost(Duration.ofSeconds(10)).until(
                    () -> EgctlRun.inProcess(cluster.egctl(), "get", "members"),
                    run -> run.out().contains("WARNING") && run.out().lines().filter(l -> l.contains(" Behind ")).count() == 2);
            assertThat(members.out()).contains("egctl accept-store").contains("held on its config");
            for (String node : cluster.nodeIds()) {
                assertThat(servedBy(cluster, node, examples.port, 3)).as("still serving").hasSize(3);
            }

            // The operator rebuilds the store: nodes stay on their config until it is accepted.
            EgctlRun rebuilt = applyOnceEtcdAnswers(cluster.egctl(), ProjectPaths.example("http-server.yaml")
                    .replace("port: 10080", "port: " + examples.port) + "---\n" + examples.pipelineOver(3), "--wait");
            assertThat(rebuilt.exit()).as(rebuilt.toString()).isEqualTo(1);
            assertThat(rebuilt.out()).containsPattern("node-1\\s+held: ");
            assertThat(servedBy(cluster, "node-1", examples.port, 3)).hasSize(3);

            EgctlRun accepted = EgctlRun.inProcess(cluster.egctl(), "accept-store");
            assertThat(accepted.exit()).as(accepted.toString()).isZero();
            assertThat(accepted.out()).contains("store accepted");
            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> servedBy(cluster, node, examples.port, 3).equals(Set.of("backend-3")));
            }
            EgctlRun after = EgctlRun.inProcess(cluster.egctl(), "get", "members");
            assertThat(after.out()).doesNotContain("WARNING");
            assertThat(after.out().lines().filter(l -> l.contains(" Ready ")).count()).as(after.out()).isEqualTo(2);
        }
    }

    @Test
    void changesCompactedAwayWhileTheControlPlaneWasCutOffReachEveryNode(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.startBehindRelay(dir.resolve("cluster"), 2);
             Client direct = cluster.etcdClient()) {
            EgctlRun applied = EgctlRun.inProcess(cluster.egctl(), examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> servedBy(cluster, "node-2", examples.port, 3).size() == 3);

            cluster.etcdRelay().cut();
            // Behind the control plane's back: the pipeline now names only backend 3, then history is compacted.
            ByteSequence key = ByteSequence.from("/edgegate/objects/HTTPPipeline/pipeline-reverse-proxy", StandardCharsets.UTF_8);
            KeyValue stored = direct.getKVClient().get(key).get().getKvs().get(0);
            String json = stored.getValue().toString(StandardCharsets.UTF_8)
                    .replace(examples.backends.get(0).url(), examples.backends.get(2).url())
                    .replace(examples.backends.get(1).url(), examples.backends.get(2).url());
            long revision = direct.getKVClient().put(key, ByteSequence.from(json, StandardCharsets.UTF_8)).get()
                    .getHeader().getRevision();
            direct.getKVClient().compact(revision).get();
            cluster.etcdRelay().mend();

            for (String node : cluster.nodeIds()) {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> servedBy(cluster, node, examples.port, 3).equals(Set.of("backend-3")));
            }
            EgctlRun members = await().atMost(Duration.ofSeconds(5)).until(
                    () -> EgctlRun.inProcess(cluster.egctl(), "get", "members"),
                    run -> run.out().lines().filter(l -> l.contains(" Ready ")).count() == 2);
            assertThat(members.out()).as("the history is intact: no new epoch").doesNotContain("went back");
        }
    }

    @Test
    void aNodeThatLostItsOnlyControlPlaneStaysListedAndIsNamedAsNotReached(@TempDir Path dir) throws Exception {
        try (ExampleSetup examples = new ExampleSetup(dir.resolve("objects"));
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 2, 0)) {
            cluster.addDataPlane("node-1", "127.0.0.2", List.of(0));
            cluster.addDataPlane("node-5", "127.0.0.3", List.of(0, 1));
            cluster.awaitServing("node-1");
            cluster.awaitServing("node-5");
            EgctlTarget b = cluster.egctl(1);
            EgctlRun applied = EgctlRun.inProcess(b, examples.applyArgs());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> cluster.request("node-1", examples.port, "/pipeline").statusCode() == 200
                    && cluster.request("node-5", examples.port, "/pipeline").statusCode() == 200);

            cluster.killControlPlane(0);
            await().atMost(Duration.ofSeconds(15)).until(() -> EgctlRun.inProcess(b, "get", "members").out()
                    .lines().anyMatch(l -> l.startsWith("node-5") && l.contains(" Ready ") && l.contains(b.server())));
            EgctlRun deleted = EgctlRun.inProcess(b, "delete", "hp", "pipeline-reverse-proxy");
            assertThat(deleted.exit()).as(deleted.toString()).isZero();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> cluster.request("node-5", examples.port, "/pipeline").statusCode() == 503);
            assertThat(cluster.request("node-1", examples.port, "/pipeline").statusCode())
                    .as("without a control plane node-1 serves on what it has").isEqualTo(200);

            // Once A's lease is gone node-1 shows as Disconnected on B, with the revision it serves and its lag.
            EgctlRun members = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(
                    () -> EgctlRun.inProcess(b, "get", "members"),
                    run -> run.out().lines().anyMatch(l -> l.startsWith("node-1") && l.contains(" Disconnected ")));
            String node1 = members.out().lines().filter(l -> l.startsWith("node-1")).findFirst().orElseThrow();
            Matcher row = Pattern.compile("node-1\\s+\\S+\\s+Disconnected\\s+(\\d+)\\s+(\\d+)").matcher(node1);
            assertThat(row.find()).as(members.out()).isTrue();
            assertThat(Long.parseLong(row.group(1))).isPositive();
            assertThat(Long.parseLong(row.group(2))).as("lag").isPositive();

            EgctlRun waited = EgctlRun.withStdin(b, ProjectPaths.example("http-server.yaml")
                    .replace("port: 10080", "port: " + examples.port) + "---\n" + examples.pipelineOver(1), "apply", "--wait", "-f", "-");
            assertThat(waited.exit()).as(waited.toString()).isEqualTo(1);
            assertThat(waited.out()).containsPattern("node-5\\s+applied in \\d+ ms").containsPattern("node-1\\s+not reached");
            assertThat(waited.err()).contains("node-1 is not connected");

            // All or nothing: named with a connected node, it is not forgotten either.
            EgctlRun partly = EgctlRun.inProcess(b, "delete", "member", "node-1", "node-5");
            assertThat(partly.exit()).as(partly.toString()).isEqualTo(1);
            assertThat(partly.err()).contains("node node-5 is connected").contains("no member was forgotten");
            assertThat(EgctlRun.inProcess(b, "get", "members").out()).contains("node-1");

            // Forgotten on purpose, it is no longer listed or waited for.
            EgctlRun forgotten = EgctlRun.inProcess(b, "delete", "member", "node-1");
            assertThat(forgotten.exit()).as(forgotten.toString()).isZero();
            assertThat(EgctlRun.inProcess(b, "get", "members").out()).doesNotContain("node-1");
            EgctlRun refused = EgctlRun.inProcess(b, "delete", "member", "node-5");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("is connected");
        }
    }
}
