package io.edgegate.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A server decoded from its running version must be exactly what decoding the whole object
 * gives, and must reuse what did not change; any change it cannot confine is left to a full decode.
 */
class ServerRedecoderTest {

    private final DocumentParser parser = new DocumentParser();
    private final ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
    private final ServerRedecoder redecoder = new ServerRedecoder();

    private static final String SERVER = """
            kind: HTTPServer
            name: edge
            port: 8080
            rules:
            - host: a.example
              paths:
              - path: /one
                backend: p1
              - pathPrefix: /two/
                methods: [GET, POST]
                backend: p2
              - pathRegexp: ^/three/[0-9]+$
                headers:
                - key: X-Canary
                  values: ["yes"]
                  backend: canary
                backend: p3
            - hosts:
              - value: b.example
              - value: '^c[0-9]+\\.example$'
                isRegexp: true
              paths:
              - path: /café
                setHeaders:
                  X-Who: café
                backend: p1
              - path: /pool
                backendPool:
                  servers:
                  - url: http://127.0.0.1:9001
            - paths:
              - pathPrefix: /
                backend: p4
            """;

    @Test
    void aChangedPathIsDecodedAloneAndTheRestIsReused() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ObjectNode) path(tree, 0, 1)).put("pathPrefix", "/deux/");

        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();

        assertSameAsFullDecode(redecoded, tree);
        assertThat(redecoded.spec().rules().get(0).paths().get(1).pathPrefix()).contains("/deux/");
        assertThat(redecoded.spec().rules().get(0).paths().get(0)).isSameAs(running.spec.rules().get(0).paths().get(0));
        assertThat(redecoded.spec().rules().get(1)).isSameAs(running.spec.rules().get(1));
        assertThat(redecoded.spec().rules().get(2)).isSameAs(running.spec.rules().get(2));
    }

    @Test
    void aPathOfABackendPoolKeepsThePipelineNamedAfterItsPlace() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ObjectNode) path(tree, 1, 1).get("backendPool").get("servers").get(0)).put("url", "http://127.0.0.1:9002");

        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();

        assertSameAsFullDecode(redecoded, tree);
        assertThat(redecoded.spec().rules().get(1).paths().get(1).backend()).isEqualTo("edge/rules[1].paths[1]");
    }

    @Test
    void aChangeOfARulesHostsDecodesThatRule() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ObjectNode) tree.get("rules").get(0)).put("host", "z.example");

        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();

        assertSameAsFullDecode(redecoded, tree);
        assertThat(redecoded.spec().rules().get(0).host()).contains("z.example");
        assertThat(redecoded.spec().rules().get(1)).isSameAs(running.spec.rules().get(1));
    }

    @Test
    void pathsAddedOrRemovedDecodeTheirRule() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ArrayNode) tree.get("rules").get(0).get("paths")).remove(1);
        Running afterRemoval = check(running, tree);

        ((ArrayNode) tree.get("rules").get(2).get("paths")).addObject().put("path", "/new").put("backend", "p9");
        check(afterRemoval, tree);
    }

    @Test
    void changesInTwoRulesDecodeBothAndTheOnesBetween() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ObjectNode) path(tree, 0, 0)).put("backend", "q1");
        ((ObjectNode) path(tree, 2, 0)).put("backend", "q4");

        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();

        assertSameAsFullDecode(redecoded, tree);
        assertThat(redecoded.spec().rules().get(2).paths().get(0).backend()).isEqualTo("q4");
    }

    @Test
    void aChangeOutsideTheRulesOrOfHowManyRulesIsLeftToAFullDecode() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);

        tree.put("port", 8081);
        assertThat(redecode(running, tree)).isEmpty();

        tree.put("port", 8080);
        ((ArrayNode) tree.get("rules")).addObject().putArray("paths").addObject().put("path", "/x").put("backend", "p1");
        assertThat(redecode(running, tree)).isEmpty();

        ObjectNode other = yaml(SERVER);
        ((ArrayNode) other.get("rules")).remove(1);
        assertThat(redecode(running, other)).isEmpty();
    }

    @Test
    void aChangeThatDoesNotDecodeIsLeftToTheFullDecodeThatReportsIt() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        ((ObjectNode) path(tree, 0, 2)).put("pathRegexp", "^/three/[0-9+$");
        assertThat(redecode(running, tree)).isEmpty();

        ObjectNode unknownKey = yaml(SERVER);
        ((ObjectNode) path(unknownKey, 0, 0)).put("bakend", "p1");
        assertThat(redecode(running, unknownKey)).isEmpty();
    }

    @Test
    void textThatIsNotAListOfObjectsIsNeverTakenForOne() throws Exception {
        ObjectNode tree = yaml(SERVER);
        Running running = running(tree);
        // A duplicate key inside one path, which the stored-object parser refuses.
        String duplicate = running.json.replace("{\"path\":\"/one\",", "{\"path\":\"/one\",\"path\":\"/uno\",");
        assertThat(duplicate).isNotEqualTo(running.json);
        assertThat(redecoder.redecode(running.json, running.layout, running.spec, duplicate)).isEmpty();
        // Text that balances only across rules: the change must not be read as new rules.
        String broken = running.json.replace("\"backend\":\"p3\"}]}", "\"backend\":\"p3\"}]}],\"port\":1,\"rules\":[{\"paths\":[]}");
        assertThat(broken).isNotEqualTo(running.json);
        assertThat(redecoder.redecode(running.json, running.layout, running.spec, broken)).isEmpty();
    }

    @Test
    void aRadixTreeServerIsRedecodedWithItsRouterKind() throws Exception {
        ObjectNode tree = yaml("""
                kind: HTTPServer
                name: radix
                port: 8080
                routerKind: RadixTree
                rules:
                - paths:
                  - path: /users/{id}
                    backend: p1
                  - path: /files/*
                    backend: p2
                """);
        Running running = running(tree);
        ((ObjectNode) path(tree, 0, 0)).put("path", "/people/{id:[0-9]+}");

        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();

        assertSameAsFullDecode(redecoded, tree);
        assertThat(redecoded.spec().rules().get(0).paths().get(0).pattern()).isPresent();
    }

    /** Many random edits in a row, each applied to the previous result as a node would: always what a full decode gives. */
    @Test
    void randomEditsAlwaysGiveWhatAFullDecodeGives() throws Exception {
        Random random = new Random(42);
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("kind", "HTTPServer").put("name", "fuzz").put("port", 8080);
        ArrayNode rules = tree.putArray("rules");
        for (int r = 0; r < 6; r++) {
            ObjectNode rule = rules.addObject();
            if (r % 3 != 2) {
                rule.put("host", "h" + r + ".example");
            }
            ArrayNode paths = rule.putArray("paths");
            for (int p = 0; p < 20; p++) {
                paths.addObject().put("path", "/r" + r + "/p" + p).put("backend", "b" + p);
            }
        }
        Running running = running(tree);
        int redecoded = 0;
        for (int round = 0; round < 300; round++) {
            randomEdit(random, rules);
            Optional<ServerRedecoder.Redecoded> result = redecode(running, tree);
            if (result.isPresent()) {
                redecoded++;
                assertSameAsFullDecode(result.get(), tree);
                running = new Running(json(tree), result.get().spec(), result.get().layout());
            } else {
                running = running(tree);
            }
        }
        // Most edits stay within rules; those that do not are covered by the assertions of the full decode above.
        assertThat(redecoded).isGreaterThan(200);
    }

    private static void randomEdit(Random random, ArrayNode rules) {
        ObjectNode rule = (ObjectNode) rules.get(random.nextInt(rules.size()));
        ArrayNode paths = (ArrayNode) rule.get("paths");
        ObjectNode path = (ObjectNode) paths.get(random.nextInt(paths.size()));
        switch (random.nextInt(8)) {
            case 0 -> path.put(path.has("path") ? "path" : "pathPrefix", "/edited-" + random.nextInt(1000) + "/");
            case 1 -> path.put("backend", "b" + random.nextInt(50));
            case 2 -> path.putArray("methods").add(random.nextBoolean() ? "GET" : "DELETE");
            case 3 -> path.remove("methods");
            case 4 -> paths.addObject().put("pathPrefix", "/added-" + random.nextInt(1000) + "/").put("backend", "b1");
            case 5 -> {
                if (paths.size() > 1) {
                    paths.remove(random.nextInt(paths.size()));
                }
            }
            case 6 -> rule.put("hostRegexp", "^x" + random.nextInt(10) + "\\.example$");
            default -> path.put("rewriteTarget", "/ünïcode-" + random.nextInt(10));
        }
    }

    private record Running(String json, HttpServerSpec spec, ServerLayout layout) {
    }

    private Running running(ObjectNode tree) throws SpecException {
        String json = json(tree);
        return new Running(json, decode(json), redecoder.layout(json));
    }

    /** Redecodes {@code tree} from {@code running}, checks it against a full decode, and returns it as the running version. */
    private Running check(Running running, ObjectNode tree) throws SpecException {
        ServerRedecoder.Redecoded redecoded = redecode(running, tree).orElseThrow();
        assertSameAsFullDecode(redecoded, tree);
        return new Running(json(tree), redecoded.spec(), redecoded.layout());
    }

    private Optional<ServerRedecoder.Redecoded> redecode(Running running, ObjectNode tree) {
        return redecoder.redecode(running.json, running.layout, running.spec, json(tree));
    }

    private void assertSameAsFullDecode(ServerRedecoder.Redecoded redecoded, ObjectNode tree) throws SpecException {
        String json = json(tree);
        // Records print every field, down to each pattern's source: equal text is an equal spec.
        assertThat(redecoded.spec().toString()).isEqualTo(decode(json).toString());
        ServerLayout fresh = redecoder.layout(json);
        assertThat(Arrays.equals(redecoded.layout().rules().starts(), fresh.rules().starts())).isTrue();
        assertThat(Arrays.equals(redecoded.layout().rules().ends(), fresh.rules().ends())).isTrue();
        assertThat(redecoded.layout().paths()).hasSameSizeAs(fresh.paths());
        for (int i = 0; i < fresh.paths().size(); i++) {
            assertThat(redecoded.layout().paths().get(i).starts()).containsExactly(fresh.paths().get(i).starts());
            assertThat(redecoded.layout().paths().get(i).ends()).containsExactly(fresh.paths().get(i).ends());
        }
        for (int i = 0; i < fresh.rules().count(); i++) {
            assertThat(json.charAt(fresh.rules().starts()[i])).isEqualTo('{');
            assertThat(json.charAt(fresh.rules().ends()[i] - 1)).isEqualTo('}');
        }
    }

    private HttpServerSpec decode(String json) throws SpecException {
        return (HttpServerSpec) decoder.decode(parser.parseJson(json), ValidationMode.STRICT).spec();
    }

    private String json(ObjectNode tree) {
        return parser.toJson(tree);
    }

    private ObjectNode yaml(String yaml) throws SpecException {
        return parser.parse(new SourceDocument("test", 0, 1, yaml));
    }

    private static com.fasterxml.jackson.databind.JsonNode path(ObjectNode tree, int rule, int path) {
        return tree.get("rules").get(rule).get("paths").get(path);
    }
}
