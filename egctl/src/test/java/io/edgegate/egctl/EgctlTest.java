package io.edgegate.egctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.controlplane.ControlPlane;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.security.PkiDirectory;
import io.edgegate.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * egctl as an operator uses it — its parsing, what it prints and how it exits — against a real
 * control plane in this JVM, on the in-memory store (the e2e tests drive egctl over etcd).
 */
class EgctlTest {

    private static ControlPlane controlPlane;
    private static String server;
    private static Map<String, String> secure;

    @TempDir
    Path dir;

    /** What one egctl run printed and how it exited. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    @BeforeAll
    static void startControlPlane(@TempDir Path state) throws Exception {
        PkiDirectory pki = new PkiDirectory(state.resolve("pki"));
        Path tokenFile = state.resolve("admin.token");
        controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.tls(pki.issueServer("control-plane", List.of("127.0.0.1")), tokenFile));
        controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
        server = "127.0.0.1:" + controlPlane.port();
        // As an operator's shell after 'export': the CA and an admin token; no config file of the machine's user.
        secure = Map.of("EGCTL_SERVER", server, "EGCTL_CA", pki.caCertificate().toString(),
                "EGCTL_TOKEN", Files.readString(tokenFile).strip(), "EGCTL_CONFIG", state.resolve("no-config.yaml").toString());
    }

    @AfterAll
    static void stopControlPlane() {
        controlPlane.close();
    }

    @AfterEach
    void deleteWhatTheTestMade() {
        for (String kind : List.of("hp", "hs", "pl")) {
            for (String line : egctl("get", kind).out().lines().skip(1).toList()) {
                egctl("delete", kind, line.trim().split("\\s+")[1]);
            }
        }
    }

    private static Run egctlWithInput(String stdin, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), environment);
        int exit = Egctl.run(args, terminal);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run egctlWithInput(String stdin, String... args) {
        return egctlWithInput(stdin, secure, args);
    }

    private static Run egctl(String... args) {
        return egctlWithInput("", args);
    }

    @Test
    void applyCreatesThenReportsUnchangedAndGetShowsTheObjectInEachFormat() {
        Run created = egctlWithInput(TestDocuments.PIPELINE, "apply", "-f", "-");
        Run again = egctlWithInput(TestDocuments.PIPELINE, "apply", "-f", "-");

        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).isEqualTo("HTTPPipeline/demo created\n");
        assertThat(again.out()).isEqualTo("HTTPPipeline/demo unchanged\n");
        Run table = egctl("get", "hp");
        assertThat(table.out()).containsPattern("KIND\\s+NAME\\s+REVISION\\s+SUMMARY")
                .containsPattern("HTTPPipeline\\s+demo\\s+\\d+\\s+filters: proxy\\(Proxy\\)");
        assertThat(egctl("get", "httppipelines", "demo", "-o", "yaml").out())
                .startsWith("kind: HTTPPipeline\nname: demo\n").contains("- url: http://127.0.0.1:9095");
        assertThat(egctl("get", "HTTPPipeline", "demo", "-o", "json").out()).contains("\"name\" : \"demo\"");
    }

    @Test
    void eachKindsSummarySaysWhatMattersAboutIt() {
        Run applied = egctlWithInput("""
                name: users
                kind: CustomDataKind
                idField: id
                ---
                name: users
                kind: CustomData
                records:
                - {id: a}
                - {id: b}
                ---
                kind: GlobalFilter
                name: edge
                beforePipeline:
                  flow: [{filter: v}]
                  filters:
                  - {name: v, kind: Validator, headers: {X-Key: {regexp: '^k'}}}
                """, "apply", "-f", "-");
        assertThat(applied.exit()).as(applied.toString()).isZero();

        // Was "filters: " for every kind but HTTPServer, empty for these.
        assertThat(egctl("get", "cd").out()).containsPattern("CustomData\\s+users\\s+\\d+\\s+2 records\\n");
        assertThat(egctl("get", "cdk").out()).containsPattern("CustomDataKind\\s+users\\s+\\d+\\s+id field id\\n");
        assertThat(egctl("get", "gf").out()).containsPattern("GlobalFilter\\s+edge\\s+\\d+\\s+before: v\\(Validator\\); after: none\\n");
    }

    @Test
    void diffShowsWhatAnApplyWouldChangeWithoutChangingItAndNeverASecret() {
        String pipeline = """
                kind: HTTPPipeline
                name: demo
                filters:
                - name: auth
                  kind: Validator
                  jwt:
                    algorithm: HS256
                    secret: 0123456789abcdef0123456789abcdef
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers: [{url: 'http://127.0.0.1:9095'}]
                """;
        Run created = egctlWithInput(pipeline, "diff", "-f", "-");
        assertThat(created.exit()).as(created.toString()).isEqualTo(DiffCommand.DIFFERENT);
        assertThat(created.out()).startsWith("--- HTTPPipeline/demo (not stored)\n+++ HTTPPipeline/demo (after apply)\n@@ -0,0 +1,")
                .contains("+name: demo").doesNotContain("0123456789abcdef").contains("<redacted");
        assertThat(egctl("get", "hp").out()).as("a diff writes nothing").doesNotContain("demo");

        assertThat(egctlWithInput(pipeline, "apply", "-f", "-").exit()).isZero();
        Run same = egctlWithInput(pipeline, "diff", "-f", "-");
        assertThat(same.exit()).as(same.toString()).isEqualTo(DiffCommand.SAME);
        assertThat(same.out()).isEmpty();

        Run changed = egctlWithInput(pipeline.replace("9095", "9096").replace("0123456789abcdef0123", "fedcba9876543210fedc"),
                "diff", "-f", "-");
        assertThat(changed.exit()).as(changed.toString()).isEqualTo(DiffCommand.DIFFERENT);
        assertThat(changed.out()).startsWith("--- HTTPPipeline/demo (stored)\n+++ HTTPPipeline/demo (after apply)\n@@ ")
                .containsPattern("(?m)^-.*9095").containsPattern("(?m)^\\+.*9096")
                .containsPattern("(?m)^-\\s+secret: \"<redacted").containsPattern("(?m)^\\+\\s+secret: \"<redacted")
                .doesNotContain("fedcba9876543210").doesNotContain("0123456789abcdef");
        assertThat(egctl("get", "hp", "demo", "-o", "yaml").out()).contains("9095").doesNotContain("9096");

        Run invalid = egctlWithInput("kind: HTTPPipeline\nname: bad\nfilters: [", "diff", "-f", "-");
        assertThat(invalid.exit()).isEqualTo(DiffCommand.TROUBLE);
        assertThat(invalid.err()).startsWith("Error: ");
    }

    @Test
    void editAppliesWhatTheEditorSavedReopensOnARefusalAndCancelsAnUnchangedFile() throws Exception {
        assertThat(egctlWithInput(TestDocuments.PIPELINE, "apply", "-f", "-").exit()).isZero();
        Map<String, String> env = new java.util.HashMap<>(secure);

        // An editor that changes the port: applied.
        env.put("EDITOR", editor("sed -i 's/9095/9096/' \"$1\""));
        Run edited = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(edited.exit()).as(edited.toString()).isZero();
        assertThat(edited.out()).isEqualTo("HTTPPipeline/demo configured\n");
        assertThat(egctl("get", "hp", "demo", "-o", "yaml").out()).contains("9096");

        // Saved unchanged: nothing is written.
        env.put("EDITOR", "true");
        Run unchanged = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(unchanged.out()).isEqualTo("Edit cancelled, no changes made.\n");

        // First a bad edit, refused: the editor opens again with the reason on top, and the fix is applied.
        env.put("EDITOR", editor("if grep -q '^# Error:' \"$1\"; then grep '^# Error:' \"$1\" > " + dir.resolve("reason")
                + "; sed -i 's/poolz:/mainPool:/; s/9096/9097/' \"$1\"; else sed -i 's/mainPool:/poolz:/' \"$1\"; fi"));
        Run fixed = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(fixed.exit()).as(fixed.toString()).isZero();
        assertThat(Files.readString(dir.resolve("reason"))).contains("poolz");
        assertThat(egctl("get", "hp", "demo", "-o", "yaml").out()).contains("9097");

        // Renaming is refused, and saving the refused edit again unchanged gives up, keeping the edit in a file.
        env.put("EDITOR", editor("sed -i 's/^name: demo$/name: other/' \"$1\""));
        Run renamed = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(renamed.exit()).isEqualTo(1);
        assertThat(renamed.err()).startsWith("Error: the edit was refused and saved again unchanged; it is kept in ");
        Path kept = Path.of(renamed.err().strip().replaceAll(".* it is kept in ", ""));
        assertThat(Files.readString(kept)).contains("# Error: the kind and name cannot be edited").contains("name: other");
        assertThat(egctl("get", "hp").out()).doesNotContain("other");
        Files.delete(kept);

        // A second document added to the edit is refused, not dropped without a word.
        env.put("EDITOR", editor("grep -q '^# Error:' \"$1\" || printf -- '---\\nkind: HTTPPipeline\\nname: second\\n' >> \"$1\""));
        Run twoObjects = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(twoObjects.exit()).isEqualTo(1);
        Path keptTwo = Path.of(twoObjects.err().strip().replaceAll(".* it is kept in ", ""));
        assertThat(Files.readString(keptTwo)).contains("# Error: an edit holds one object");
        assertThat(egctl("get", "hp").out()).doesNotContain("second");
        Files.delete(keptTwo);

        // An editor that fails changes nothing.
        env.put("EDITOR", "false");
        Run failed = egctlWithInput("", env, "edit", "hp", "demo");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("Error: the editor (false) failed (exit 1); the object is unchanged\n");
        assertThat(egctl("get", "hp", "demo", "-o", "yaml").out()).contains("9097");
    }

    @Test
    void anEditOfAVersionSomeoneElseChangedMeanwhileIsNotWrittenAndIsKept() throws Exception {
        assertThat(egctlWithInput(TestDocuments.PIPELINE.replace("name: demo", "name: contested"), "apply", "-f", "-").exit()).isZero();
        Map<String, String> env = new java.util.HashMap<>(secure);
        Path opened = dir.resolve("opened");
        Path go = dir.resolve("go");
        // The editor opens, waits until the test changed the object, then saves its own change.
        env.put("EDITOR", editor("touch " + opened + "; while [ ! -f " + go + " ]; do sleep 0.05; done; sed -i 's/9095/9096/' \"$1\""));
        java.util.concurrent.CompletableFuture<Run> editing =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> egctlWithInput("", env, "edit", "hp", "contested"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(opened));
        Run theirs = egctlWithInput(TestDocuments.PIPELINE.replace("name: demo", "name: contested").replace("9095", "9099"), "apply", "-f", "-");
        assertThat(theirs.exit()).as(theirs.toString()).isZero();
        Files.createFile(go);

        Run mine = editing.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(mine.exit()).isEqualTo(1);
        assertThat(mine.err()).startsWith("Error: HTTPPipeline/contested changed since it was read at revision ")
                .contains("; nothing was written; the edit is kept in ");
        assertThat(egctl("get", "hp", "contested", "-o", "yaml").out()).as("their change stands").contains("9099").doesNotContain("9096");
        Path kept = Path.of(mine.err().strip().replaceAll(".* the edit is kept in (\\S+) .*", "$1"));
        assertThat(Files.readString(kept)).contains("9096");
        Files.delete(kept);
    }

    /** An EDITOR that runs {@code script} on the file it is given as $1. */
    private String editor(String script) throws java.io.IOException {
        Path file = Files.writeString(dir.resolve("editor-" + System.nanoTime() + ".sh"), "#!/bin/sh\n" + script + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file.toString();
    }

    @Test
    void getWatchPrintsTheTableAgainUnderEachChangeOfItsKind() throws Exception {
        StringWriter out = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0]), secure);
        java.util.concurrent.CompletableFuture<Integer> watching = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Egctl.run(new String[] {"get", "hp", "-w", "--timeout", "5s"}, terminal));
        // Objects are applied until the watch, which opens its stream after its first table, reports one.
        java.util.concurrent.atomic.AtomicInteger applied = new java.util.concurrent.atomic.AtomicInteger();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(4)).pollInterval(java.time.Duration.ofMillis(300)).until(() -> {
            String name = "watched-" + applied.incrementAndGet();
            assertThat(egctlWithInput(TestDocuments.PIPELINE.replace("name: demo", "name: " + name), "apply", "-f", "-").exit()).isZero();
            return out.toString().contains("--- ");
        });
        assertThat(watching.get(10, TimeUnit.SECONDS)).isZero();
        String printed = out.toString();
        assertThat(printed).containsPattern("\\n--- \\S+  revision \\d+  HTTPPipeline/watched-\\d+ created\\nKIND +NAME +REVISION +SUMMARY\\n");
        String lastTable = printed.substring(printed.lastIndexOf("--- "));
        String lastName = lastTable.replaceAll("(?s)^--- \\S+  revision \\d+  HTTPPipeline/(watched-\\d+) created.*", "$1");
        assertThat(lastTable).containsPattern("(?m)^HTTPPipeline +" + lastName + " ");
    }

    @Test
    void aFileWithOneBadDocumentWritesNoneOfThem() throws Exception {
        Path file = dir.resolve("objects.yaml");
        Files.writeString(file, TestDocuments.PIPELINE + "---\nkind: HTTPPipeline\nname: broken\nfilters:\n- name: p\n  kind: Proxy\n");

        Run refused = egctl("apply", "-f", file.toString());

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Error: " + file + ", document 2 (HTTPPipeline/broken): filters[0].mainPool: a Proxy needs a pool");
        assertThat(refused.out()).isEmpty();
        assertThat(egctl("get", "hp", "demo").err()).isEqualTo("Error: HTTPPipeline/demo not found\n");
    }

    @Test
    void invalidInputIsRefusedWithWhereAndWhy() {
        Run yaml = egctlWithInput("kind: HTTPPipeline\nname: bad\nfilters: [", "apply", "-f", "-");
        Run kind = egctlWithInput("kind: Nope\nname: x\n", "apply", "-f", "-");
        Run missingFile = egctl("apply", "-f", dir.resolve("nowhere.yaml").toString());
        Run unknownField = egctlWithInput("kind: HTTPServer\nname: s\nport: 10080\nhttp3: false\ntimeOut: 5s\n", "apply", "-f", "-");
        Run notYet = egctlWithInput("kind: MQTTProxy\nname: m\n", "apply", "-f", "-");

        assertThat(yaml.exit()).isEqualTo(1);
        assertThat(yaml.err()).startsWith("Error: <stdin>, document 1: invalid YAML at line 3, column 11");
        assertThat(kind.exit()).isEqualTo(1);
        assertThat(kind.err()).contains("unknown kind 'Nope'").contains("HTTPServer, HTTPPipeline, Pipeline");
        assertThat(unknownField.exit()).isEqualTo(1);
        assertThat(unknownField.err()).contains("timeOut: unknown field 'timeOut'")
                .contains("(Easegress ignores fields it does not know: --validate=warn applies the object without them");
        assertThat(notYet.err()).contains("kind 'MQTTProxy' is not supported by EdgeGate yet: MQTT is not an HTTP protocol")
                .doesNotContain("--validate=warn");
        assertThat(missingFile.exit()).isEqualTo(1);
        assertThat(missingFile.err()).startsWith("Error: ").contains("nowhere.yaml");
    }

    @Test
    void createRefusesAnObjectThatExistsAndDeleteOneThatDoesNot() {
        assertThat(egctlWithInput(TestDocuments.PIPELINE, "create", "-f", "-").exit()).isZero();

        Run exists = egctlWithInput(TestDocuments.PIPELINE, "create", "-f", "-");
        Run missing = egctl("delete", "hp", "missing");
        Run deleted = egctl("delete", "hp", "demo");

        assertThat(exists.exit()).isEqualTo(1);
        assertThat(exists.err()).contains("HTTPPipeline/demo already exists (use 'egctl apply' to change it)");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Error: HTTPPipeline/missing not found (nothing was deleted)\n");
        assertThat(deleted.exit()).isZero();
        assertThat(deleted.out()).isEqualTo("HTTPPipeline/demo deleted\n");
    }

    @Test
    void createHttpProxyMakesAServerAndAPipelinePerRuleAsEasegressDoes() {
        Run created = egctl("create", "httpproxy", "demo", "--port", "10080",
                "--rule", "/bar=http://127.0.0.1:8080,http://127.0.0.1:8081",
                "--rule", "foo.com/prefix*=http://127.0.0.1:8082",
                "--rule", "foo.com/exact=http://127.0.0.1:8083,",
                "--rule", "/=http://127.0.0.1:8084");

        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out().lines().sorted().toList()).containsExactly("HTTPServer/demo created", "Pipeline/demo-0 created",
                "Pipeline/demo-1 created", "Pipeline/demo-2 created", "Pipeline/demo-3 created");
        // Consecutive rules for one host share a server rule; a trailing * makes a prefix of what is before it.
        assertThat(egctl("get", "hs", "demo", "-o", "yaml").out()).contains("""
                port: 10080
                rules:
                  - paths:
                      - path: /bar
                        backend: demo-0
                  - host: foo.com
                    paths:
                      - pathPrefix: /prefix
                        backend: demo-1
                      - path: /exact
                        backend: demo-2
                  - paths:
                      - path: /
                        backend: demo-3
                """);
        assertThat(egctl("get", "pl", "demo-0", "-o", "yaml").out()).contains("""
                filters:
                  - name: proxy
                    kind: Proxy
                    pools:
                      - servers:
                          - url: http://127.0.0.1:8080
                          - url: http://127.0.0.1:8081
                        loadBalance:
                          policy: roundRobin
                """);
        assertThat(egctl("get", "pl", "demo-2", "-o", "yaml").out()).contains("- url: http://127.0.0.1:8083\n").doesNotContain("url: \"\"");
    }

    @Test
    void createHttpProxyTakesWriteOptionsGivenBeforeItsNameAndRefusesFiles() throws Exception {
        Path file = dir.resolve("other.yaml");
        Files.writeString(file, "name: other\nkind: HTTPPipeline\nflow: [{filter: m}]\nfilters: [{name: m, kind: Mock, rules: [{code: 200}]}]\n");

        Run dryRun = egctl("create", "--dry-run", "httpproxy", "dry", "--port", "10083", "--rule", "/a=http://127.0.0.1:8080");
        Run withFile = egctl("create", "-f", file.toString(), "httpproxy", "filed", "--port", "10084", "--rule", "/a=http://127.0.0.1:8080");
        Run badTimeout = egctl("create", "--wait", "--timeout", "11m", "httpproxy", "late", "--port", "10085",
                "--rule", "/a=http://127.0.0.1:8080");

        assertThat(dryRun.exit()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).contains("HTTPServer/dry created (dry run)");
        assertThat(egctl("get", "hs", "dry").exit()).as("a dry run writes nothing").isEqualTo(1);
        assertThat(withFile.exit()).isEqualTo(1);
        assertThat(withFile.err()).contains("reads no -f files");
        assertThat(egctl("get", "hs", "filed").exit()).isEqualTo(1);
        assertThat(egctl("get", "hp", "other").exit()).isEqualTo(1);
        assertThat(badTimeout.exit()).isEqualTo(1);
        assertThat(badTimeout.err()).contains("--timeout must be more than 0 and at most 10m");
        assertThat(egctl("get", "hs", "late").exit()).isEqualTo(1);
    }

    @Test
    void createHttpProxyWritesNothingWhenOneOfItsNamesIsTaken() {
        assertThat(egctl("create", "httpproxy", "taken", "--port", "10081", "--rule", "/b=http://127.0.0.1:8080").exit()).isZero();
        egctl("delete", "hs", "taken");

        // taken-0 is still there: the new server and its second pipeline are not written either.
        Run again = egctl("create", "httpproxy", "taken", "--port", "10081", "--rule", "/a=http://127.0.0.1:8080",
                "--rule", "/b=http://127.0.0.1:8081");

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("Pipeline/taken-0 already exists");
        assertThat(egctl("get", "hs", "taken").exit()).isEqualTo(1);
        assertThat(egctl("get", "pl", "taken-1").exit()).isEqualTo(1);
    }

    @Test
    void createHttpProxyRefusesWhatItCannotMakeAndWritesNothing() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        io.edgegate.security.TlsFiles web = pki.issueServer("web", List.of("localhost"));
        String cert = web.certificate().orElseThrow().toString();
        String key = web.key().orElseThrow().toString();
        Map<String[], String> refusals = new java.util.LinkedHashMap<>();
        refusals.put(new String[] {"--port", "10082", "--rule", "/a"}, "--rule /a: should be HOST/PATH=URL[,URL…] with one '='");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://x/?q=1"}, "with one '='");
        refusals.put(new String[] {"--port", "10082", "--rule", "foo.com=http://127.0.0.1:8080"}, "--rule foo.com=http://127.0.0.1:8080: no path");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=,"}, "--rule /a=,: no endpoint after '='");
        refusals.put(new String[] {"--port", "0", "--rule", "/a=http://127.0.0.1:8080"}, "--port 0 is not a port (1-65535)");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://127.0.0.1:8080", "--auto-cert"}, "(ACME) are not built");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://127.0.0.1:8080", "--auto-cert-email", "a@b.c"}, "(ACME) are not built");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://127.0.0.1:8080", "--cert-file", cert, "--key-file", key},
                "--cert-file, --key-file and --ca-cert-file need --tls");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://127.0.0.1:8080", "--tls"}, "--tls needs at least one --cert-file");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=http://127.0.0.1:8080", "--tls", "--cert-file", cert},
                "come in pairs: got 1 --cert-file and 0 --key-file");
        refusals.put(new String[] {"--port", "10082", "--rule", "/a=nowhere"}, "nowhere");
        for (Map.Entry<String[], String> refusal : refusals.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("create", "httpproxy", "refused"));
            args.addAll(List.of(refusal.getKey()));
            Run run = egctl(args.toArray(String[]::new));
            assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(run.err()).as(String.join(" ", args)).startsWith("Error: ").contains(refusal.getValue());
        }
        Run noPort = egctl("create", "httpproxy", "refused", "--rule", "/a=http://127.0.0.1:8080");
        Run noRule = egctl("create", "httpproxy", "refused", "--port", "10082");
        Run noName = egctl("create", "httpproxy", "--port", "10082", "--rule", "/a=http://127.0.0.1:8080");
        assertThat(noPort.exit()).isEqualTo(2);
        assertThat(noPort.err()).contains("Missing required option: '--port=PORT'");
        assertThat(noRule.err()).contains("Missing required option: '--rule=HOST/PATH=URL[,URL…]'");
        assertThat(noName.err()).contains("Missing required parameter: 'NAME'");
        assertThat(egctl("get", "hs").out()).doesNotContain("refused");
        assertThat(egctl("get", "pl").out()).doesNotContain("refused");
    }

    @Test
    void createHttpProxyWithTlsServesTheGivenCertificate() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        io.edgegate.security.TlsFiles web = pki.issueServer("web", List.of("localhost"));

        Run created = egctl("create", "httpproxy", "secure", "--port", "10443", "--rule", "/=http://127.0.0.1:8080", "--tls",
                "--cert-file", web.certificate().orElseThrow().toString(), "--key-file", web.key().orElseThrow().toString(),
                "--ca-cert-file", pki.caCertificate().toString());

        assertThat(created.exit()).as(created.toString()).isZero();
        String base64Cert = java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(web.certificate().orElseThrow()));
        String server = egctl("get", "hs", "secure", "-o", "yaml").out();
        assertThat(server).contains("https: true").contains("caCertBase64: ")
                .contains("certs:\n  " + web.certificate().orElseThrow().getFileName() + ": " + base64Cert)
                .contains("keys:\n  " + web.certificate().orElseThrow().getFileName() + ": ");
    }

    @Test
    void waitingWithNoNodeConnectedSaysThereIsNothingToWaitFor() {
        Run applied = egctlWithInput(TestDocuments.PIPELINE, "apply", "--wait", "--timeout", "5s", "-f", "-");

        assertThat(applied.exit()).as(applied.toString()).isZero();
        assertThat(applied.out()).isEqualTo("HTTPPipeline/demo created\nno data-plane node is connected; nothing to wait for\n");
    }

    @Test
    void aWaitTheControlPlaneWouldNotHoldAsAskedIsRefusedBeforeAnythingIsWritten() {
        // The control plane turns 0 into 60 s and caps a wait at 10 min: the report named the timeout asked for.
        for (String timeout : new String[] {"0s", "11m"}) {
            Run applied = egctlWithInput(TestDocuments.PIPELINE, "apply", "--wait", "--timeout", timeout, "-f", "-");
            assertThat(applied.exit()).as(timeout).isEqualTo(1);
            assertThat(applied.err()).as(timeout).contains("--timeout must be more than 0 and at most 10m").contains("nothing was sent");
        }
        assertThat(egctl("get", "hp", "demo").exit()).isEqualTo(1);
    }

    @Test
    void aDryRunWritesNothing() {
        Run dry = egctlWithInput(TestDocuments.PIPELINE, "apply", "--dry-run", "-f", "-");

        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("HTTPPipeline/demo created");
        assertThat(egctl("get", "hp", "demo").exit()).isEqualTo(1);
    }

    @Test
    void describeSaysWhenNoNodeHasConnected() {
        egctlWithInput(TestDocuments.PIPELINE, "apply", "-f", "-");

        Run described = egctl("describe", "hp", "demo");

        assertThat(described.exit()).isZero();
        assertThat(described.out()).containsPattern("Revision: \\d+\nSpec:\n  kind: HTTPPipeline\n  name: demo\n")
                .endsWith("Nodes:\n  (no data-plane node has connected)\n");
    }

    @Test
    void membersWithoutNodesShowTheHeaderAndTheStoresEpoch() {
        Run members = egctl("get", "members");

        assertThat(members.exit()).isZero();
        assertThat(members.out()).containsPattern("NODE\\s+ADDRESS\\s+STATE\\s+REVISION\\s+LAG")
                .containsPattern("store revision: \\d+, epoch \\d{13}-[0-9a-f]{8}");
    }

    @Test
    void usageErrorsExitWithTwoAndSaySo() {
        Run unknownCommand = egctl("frobnicate");
        Run badFormat = egctl("get", "-o", "xml", "hp");
        Run unknownKind = egctl("get", "widgets");

        assertThat(unknownCommand.exit()).isEqualTo(2);
        assertThat(unknownCommand.err()).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err()).contains("expected one of [table, yaml, json]");
        assertThat(unknownKind.exit()).isNotZero();
        assertThat(unknownKind.err()).contains("widgets");
    }

    @Test
    void healthSaysOkAsEasegressAndFailsWhenTheControlPlaneDoesNotAnswer() {
        Run ok = egctl("health");
        Run json = egctl("health", "-o", "json");
        String nowhere = "127.0.0.1:" + FreePorts.pick();
        Run down = egctlWithInput("", Map.of("EGCTL_SERVER", nowhere, "EGCTL_CONFIG", dir.resolve("none.yaml").toString()), "health");

        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).isEqualTo("OK\n");
        assertThat(json.out()).isEqualTo("{\"message\": \"OK\"}\n");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("Error: cannot reach the control plane at " + nowhere);
    }

    @Test
    void aPortThatAcceptsAndNeverAnswersIsNamedOnceAndNotTriedTwice() throws Exception {
        // The kernel completes the connection from the backlog; nothing ever reads or writes on it.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + silent.getLocalPort();
            Map<String, String> env = new java.util.HashMap<>(secure);
            env.put("EGCTL_SERVER", address);
            long start = System.nanoTime();
            Run members = egctlWithInput("", env, "get", "members");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

            assertThat(members.exit()).isEqualTo(1);
            assertThat(members.err()).isEqualTo("Error: no answer from " + address + " (no connection within 10 s: neither a "
                    + "connection nor its TLS handshake completed); is a control plane's gRPC port there (its --listen)? Set "
                    + "--server or EGCTL_SERVER.\n");
            // It waited the 10 s it names, not once more through gRPC's own transport (20 s, saying "10000ms").
            assertThat(seconds).isLessThan(15);
        }
    }

    @Test
    void anUnreachableControlPlaneIsNamedWithHowToPointElsewhere() {
        String nowhere = "127.0.0.1:" + FreePorts.pick();

        String noConfig = dir.resolve("none.yaml").toString();
        Run refused = egctlWithInput("", Map.of("EGCTL_SERVER", nowhere, "EGCTL_CONFIG", noConfig), "get", "hp");
        Run byFlag = egctlWithInput("", Map.of("EGCTL_CONFIG", noConfig), "--server", nowhere, "get", "hp");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Error: cannot reach the control plane at " + nowhere)
                .contains("Set --server or EGCTL_SERVER");
        assertThat(byFlag.err()).startsWith("Error: cannot reach the control plane at " + nowhere);
    }

    @Test
    void helpListsEveryCommandAndApiResourcesEveryKind() {
        Run help = egctl("--help");
        Run resources = egctl("api-resources");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("apply", "create", "get", "describe", "delete", "watch", "api-resources", "accept-store");
        assertThat(resources.out()).containsPattern("httppipelines\\s+hp\\s+HTTPPipeline")
                .containsPattern("members\\s+member,m\\s+-");
    }
}
