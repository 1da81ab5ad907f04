package io.edgegate.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Percent-encoded paths through a real listener: routed by what they decode to, forwarded as they
 * came, and encoded again after a rewrite.
 */
class EncodedPathRoutingTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    /** Sends a raw request line (an HTTP client would normalise the path) and returns the status line. */
    private static String get(int port, String target) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.substring(0, answer.indexOf("\r\n"));
        }
    }

    @Test
    void anEncodedPathMeetsTheRouteItDecodesToAndTheUpstreamGetsItAsSent() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply("""
                    kind: HTTPServer
                    name: s
                    port: %d
                    rules:
                    - paths:
                      - pathPrefix: /admin
                        backend: guarded
                      - pathPrefix: /old/
                        rewriteTarget: /new/
                        backend: app
                      - pathPrefix: /
                        backend: app
                    """.formatted(port), """
                    kind: HTTPPipeline
                    name: guarded
                    flow:
                    - filter: refuse
                    filters:
                    - name: refuse
                      kind: Mock
                      rules:
                      - code: 401
                        body: sign in first
                    """, LocalNode.proxyPipeline("app", "roundRobin", app.url()));

            assertThat(get(port, "/%61dmin/users")).as("the admin route's refusal, not the open route").contains(" 401 ");
            assertThat(get(port, "/ADMIN")).contains(" 200 ");
            assertThat(get(port, "/files/a%20b")).contains(" 200 ");
            assertThat(get(port, "/%6Fld/a%20b%3F")).contains(" 200 ");
            // Rewritten as sent when the route matches it as sent: an encoded slash or a Latin-1 byte stays as it came.
            assertThat(get(port, "/old/grp%2Fproj")).contains(" 200 ");
            assertThat(get(port, "/old/caf%E9")).contains(" 200 ");

            assertThat(app.received()).extracting(EchoBackend.ReceivedRequest::uri)
                    .containsExactly("/ADMIN", "/files/a%20b", "/new/a%20b%3F", "/new/grp%2Fproj", "/new/caf%E9");
        }
    }

    /** Filters that match paths (Mock rules, a pool's filter, url policies) see the decoded path routing saw. */
    @Test
    void filtersMatchTheDecodedPathToo() throws Exception {
        int port = FreePorts.pick();
        try (EchoBackend app = EchoBackend.start("app")) {
            node.apply(LocalNode.server("s", port, "mocked"), """
                    kind: HTTPPipeline
                    name: mocked
                    flow:
                    - filter: mock
                    - filter: proxy
                    filters:
                    - name: mock
                      kind: Mock
                      rules:
                      - match: {pathPrefix: /internal/}
                        code: 403
                        body: not from outside
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                    """.formatted(app.url()));

            assertThat(get(port, "/internal/keys")).contains(" 403 ");
            assertThat(get(port, "/%69nternal/keys")).as("an encoded path meets the same rule").contains(" 403 ");
            assertThat(app.received()).isEmpty();
        }
    }
}
