package io.edgegate.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.route.RouteTable;
import io.edgegate.testkit.FreePorts;
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
}
