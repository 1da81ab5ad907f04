package io.edgegate.dataplane.server;

import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A path whose dot segments lead under a guarded route meets that route, whatever route its text starts with. */
class DotSegmentsTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    @Test
    void aPathLeadingUnderTheGuardedRouteIsAnsweredByIt() throws Exception {
        int port = FreePorts.pick();
        try (RecordingUpstream upstream = new RecordingUpstream(request -> OK)) {
            node.apply("""
                    kind: HTTPServer
                    name: s
                    port: %d
                    rules:
                    - paths:
                      - {pathPrefix: /admin, backend: guard}
                      - {pathPrefix: /, backend: p}
                    """.formatted(port), """
                    name: guard
                    kind: Pipeline
                    flow: [{filter: refuse}]
                    filters:
                    - name: refuse
                      kind: Mock
                      rules: [{code: 403, body: forbidden}]
                    """, proxyPipeline("p", "roundRobin", upstream.url()));

            for (String target : new String[] {"/public/../admin/secret", "/public/%2e%2e/admin/secret", "/public/%2E%2E%2Fadmin/secret",
                    "//admin/secret", "/public/./../admin"}) {
                try (RawClient client = new RawClient(port)) {
                    client.write("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(client.readResponse()).as(target).startsWith("HTTP/1.1 403").endsWith("forbidden");
                }
            }
            assertThat(upstream.received()).as("bytes forwarded upstream").isEmpty();

            // What routes elsewhere goes on as the client sent it (as NGINX's proxy_pass without a URI passes it).
            try (RawClient client = new RawClient(port)) {
                client.write("GET /admin/../public/./x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.readResponse()).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat(upstream.received()).startsWith("GET /admin/../public/./x HTTP/1.1\r\n");
        }
    }
}
