package io.edgegate.dataplane.filter.headerlookup;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HeaderLookup sets headers from the CustomData record a request names, and follows a changed record. */
class HeaderLookupTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void theNamedRecordsFieldsAreSentAsHeaders() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String example = example("filters/header-lookup.yaml", app.url());
            node.apply(server("s", port, "header-lookup"), example);

            send(port, "client1");
            send(port, "nobody");
            send(port, null);
            node.apply(server("s", port, "header-lookup"), example.replace("kind: vip", "kind: gold"));
            send(port, "client1");

            assertThat(app.received().get(0).header("X-Id")).isEqualTo("123");
            assertThat(app.received().get(0).header("X-Kind")).isEqualTo("vip");
            assertThat(app.received().get(1).header("X-Id")).isNull();
            assertThat(app.received().get(2).header("X-Kind")).isNull();
            assertThat(app.received().get(3).header("X-Kind")).isEqualTo("gold");
        }
    }

    @Test
    void aPathGroupIsAppendedToTheHeaderValue() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(server("s", port, "header-lookup"), example("filters/header-lookup.yaml", app.url())
                    .replace("    headerKey: X-Client\n", "    headerKey: X-Client\n    pathRegExp: \"^/api/([a-z]+)\"\n")
                    .replace("  - name: client2\n", "  - name: client2-orders\n"));

            send(port, "client2", "/api/orders/7");
            send(port, "client2", "/other");

            assertThat(app.received().get(0).header("X-Id")).isEqualTo("456");
            assertThat(app.received().get(1).header("X-Id")).isNull();

            // As Go's FindStringSubmatch: a group that takes no part in the match is empty, and the dash stays.
            node.apply(server("s", port, "header-lookup"), example("filters/header-lookup.yaml", app.url())
                    .replace("    headerKey: X-Client\n", "    headerKey: X-Client\n    pathRegExp: \"^/api/(?:([a-z]+)|[0-9]+)\"\n")
                    .replace("  - name: client2\n", "  - name: \"client2-\"\n"));
            send(port, "client2", "/api/42");
            assertThat(app.received().get(2).header("X-Id")).isEqualTo("456");
        }
    }

    @Test
    void recordsAreNamedByTheIdFieldTheirKindGives() throws Exception {
        // Easegress keys each record by its CustomDataKind's idField: with "idField: key", X-Client names the key.
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            String example = example("filters/header-lookup.yaml", app.url())
                    .replace("  - name: client1\n", "  - key: c1\n    name: not-the-id\n");
            node.apply(server("s", port, "header-lookup"), "kind: CustomDataKind\nname: client-info\nidField: key\n---\n" + example);

            send(port, "c1");
            send(port, "not-the-id");

            assertThat(app.received().get(0).header("X-Id")).isEqualTo("123");
            assertThat(app.received().get(1).header("X-Id")).isNull();
        }
    }

    private static void send(int port, String client) {
        send(port, client, "/");
    }

    private static void send(int port, String client, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (client != null) {
            request.header("X-Client", client);
        }
        assertThat(node.send(request.build()).statusCode()).isEqualTo(200);
    }
}
