package io.edgegate.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.route.RouteTable;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.testkit.FreePorts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An apply decodes and indexes only the objects that changed: a pipeline changing next to a
 * server of many routes must not rebuild the server's route table, and a changed server must.
 */
class UnchangedObjectsTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private final int port = FreePorts.pick();

    private String server(String path) {
        return """
                kind: HTTPServer
                name: routes
                port: %d
                rules:
                - paths:
                  - path: %s
                    backend: p
                """.formatted(port, path);
    }

    private static String answering(String body) {
        return """
                kind: HTTPPipeline
                name: p
                filters:
                - name: answer
                  kind: Mock
                  rules:
                  - code: 200
                    body: %s
                """.formatted(body);
    }

    private static RouteTable routes() {
        return node.runtime().servers().values().iterator().next().routes();
    }

    @Test
    void aServerKeepsItsRouteTableWhileOnlyItsPipelineChangesAndGetsANewOneWhenItChanges() throws Exception {
        node.apply(server("/a"), answering("v1"));
        RouteTable first = routes();

        node.apply(server("/a"), answering("v2"));
        assertThat(node.get(port, "/a").body()).isEqualTo("v2");
        assertThat(routes()).as("the unchanged server's route table").isSameAs(first);

        node.apply(server("/b"), answering("v2"));
        assertThat(node.get(port, "/b").body()).isEqualTo("v2");
        assertThat(node.get(port, "/a").statusCode()).isEqualTo(404);
        assertThat(routes()).as("the changed server's route table").isNotSameAs(first);
    }

    @Test
    void aRefusedConfigLeavesTheRunningSpecsToTheNextApply() throws Exception {
        node.apply(server("/a"), answering("v1"));
        RouteTable running = routes();

        // Refused as a whole (the server names a port another object of the config takes as well).
        assertThatThrownBy(() -> node.apply(server("/c"), answering("v3"), """
                kind: HTTPServer
                name: clash
                port: %d
                rules:
                - paths:
                  - path: /x
                    backend: p
                """.formatted(port))).isInstanceOf(ConfigRejectedException.class);

        node.apply(server("/a"), answering("v4"));
        assertThat(node.get(port, "/a").body()).isEqualTo("v4");
        assertThat(routes()).isSameAs(running);
    }

    private String twoRules(String hostPath, String anyPath, String serverFields) {
        return """
                kind: HTTPServer
                name: routes
                port: %d
                %s
                rules:
                - host: 127.0.0.1
                  paths:
                  - path: /a1
                    backend: p
                  - path: %s
                    backend: p
                - paths:
                  - pathRegexp: %s
                    backend: p
                """.formatted(port, serverFields, hostPath, anyPath);
    }

    private static String json(String yaml) throws SpecException {
        DocumentParser parser = new DocumentParser();
        return parser.toJson(parser.parse(new SourceDocument("test", 0, 1, yaml)));
    }

    private static StoredObject stored(String kind, String name, String json) {
        return StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind(kind).setName(name)).setJson(json).build();
    }

    @Test
    void aChangedRouteIsServedAndABadOneRefusedWithItsPlaceNamed() throws Exception {
        node.apply(twoRules("/a2", "^/any/[0-9]+$", "keepAlive: true"), answering("v1"));
        assertThat(node.get(port, "/a2").statusCode()).isEqualTo(200);

        node.apply(twoRules("/a3", "^/any/[0-9]+$", "keepAlive: true"), answering("v1"));
        assertThat(node.get(port, "/a3").statusCode()).isEqualTo(200);
        assertThat(node.get(port, "/a2").statusCode()).isEqualTo(404);
        assertThat(node.get(port, "/a1").statusCode()).isEqualTo(200);
        assertThat(node.get(port, "/any/7").statusCode()).isEqualTo(200);

        // Decoded alone this path would fail; the refusal still names where it is in the server.
        String badRegexp = json(twoRules("/a3", "^/any/[0-9]+$", "keepAlive: true")).replace("[0-9]+$", "[0-9+$");
        assertThatThrownBy(() -> node.applyObjects(List.of(stored("HTTPServer", "routes", badRegexp),
                stored("HTTPPipeline", "p", json(answering("v1"))))))
                .isInstanceOf(ConfigRejectedException.class).hasMessageContaining("rules[1].paths[0].pathRegexp");
        assertThat(node.get(port, "/any/7").statusCode()).isEqualTo(200);

        node.apply(twoRules("/a3", "^/other/[0-9]+$", "keepAlive: true"), answering("v1"));
        assertThat(node.get(port, "/other/7").statusCode()).isEqualTo(200);
        assertThat(node.get(port, "/any/7").statusCode()).isEqualTo(404);

        // A change outside the rules, and one of a route, in one apply.
        node.apply(twoRules("/a4", "^/other/[0-9]+$", "keepAlive: false"), answering("v1"));
        assertThat(node.get(port, "/a4").statusCode()).isEqualTo(200);
        assertThat(node.runtime().servers().values().iterator().next().spec().keepAlive()).isFalse();
    }
}
