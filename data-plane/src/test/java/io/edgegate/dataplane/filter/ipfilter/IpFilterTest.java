package io.edgegate.dataplane.filter.ipfilter;

import static io.edgegate.dataplane.LocalNode.example;
import static io.edgegate.dataplane.LocalNode.proxyPipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.LocalNode;
import io.edgegate.dataplane.server.RawClient;
import io.edgegate.testkit.EchoBackend;
import io.edgegate.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IP filters at every level, seen by clients connecting from different loopback addresses. */
class IpFilterTest {

    @RegisterExtension
    static final LocalNode node = new LocalNode();

    private static EchoBackend app;

    @BeforeAll
    static void start() {
        app = EchoBackend.start("app");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String status(int port, String from, String path, String... headers) throws Exception {
        try (RawClient client = new RawClient(port, from)) {
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: test\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            client.write(request.append("\r\n").toString());
            return client.readResponse().substring(9, 12);
        }
    }

    @Test
    void serverRuleAndPathFiltersRefuseWith403AndLetOthersThrough() throws Exception {
        int port = FreePorts.pick();
        node.apply("""
                kind: HTTPServer
                name: guarded
                port: %d
                ipFilter:
                  blockIPs: [127.0.0.66]
                rules:
                - ipFilter:
                    allowIPs: [127.0.0.0/30]
                  paths:
                  - pathPrefix: /internal
                    backend: p
                - paths:
                  - pathPrefix: /admin
                    ipFilter: {allowIPs: [127.0.0.1], blockByDefault: true}
                    backend: p
                  - pathPrefix: /
                    backend: p
                """.formatted(port), proxyPipeline("p", "roundRobin", app.url()));

        assertThat(status(port, "127.0.0.66", "/public")).isEqualTo("403");
        assertThat(status(port, "127.0.0.5", "/public")).isEqualTo("200");
        assertThat(status(port, "127.0.0.2", "/internal/x")).isEqualTo("200");
        // The rule refuses 127.0.0.5, and the catch-all path of the next rule takes it.
        assertThat(status(port, "127.0.0.5", "/internal/x")).isEqualTo("200");
        assertThat(status(port, "127.0.0.1", "/admin")).isEqualTo("200");
        assertThat(status(port, "127.0.0.5", "/admin")).isEqualTo("200");
    }

    @Test
    void aRefusedPathWithNoOtherMatchIs403() throws Exception {
        int port = FreePorts.pick();
        node.apply("""
                kind: HTTPServer
                name: admin-only
                port: %d
                rules:
                - paths:
                  - pathPrefix: /admin
                    ipFilter: {allowIPs: [127.0.0.1]}
                    backend: p
                """.formatted(port), proxyPipeline("p", "roundRobin", app.url()));

        assertThat(status(port, "127.0.0.1", "/admin")).isEqualTo("200");
        assertThat(status(port, "127.0.0.9", "/admin")).isEqualTo("403");
        assertThat(status(port, "127.0.0.9", "/other")).isEqualTo("404");
    }

    @Test
    void theExampleBlocksItsRangesAndLetsOthersThrough() throws Exception {
        int port = FreePorts.pick();
        node.apply("""
                kind: HTTPServer
                name: example
                port: %d
                trustedProxies: [127.0.0.1]
                rules:
                - paths:
                  - pathPrefix: /
                    backend: ip-filter-demo
                """.formatted(port), example("filters/ip-filter.yaml", app.url()));

        assertThat(status(port, "127.0.0.1", "/", "X-Forwarded-For: 198.51.100.20")).isEqualTo("403");
        assertThat(status(port, "127.0.0.1", "/", "X-Forwarded-For: 2001:db8:bad::1")).isEqualTo("403");
        assertThat(status(port, "127.0.0.1", "/", "X-Forwarded-For: 2001:db8:600d::1")).isEqualTo("200");
    }

    @Test
    void theIpFilterKindBlocksInAPipelineAndTrustsOnlyItsProxies() throws Exception {
        int port = FreePorts.pick();
        node.apply("""
                kind: HTTPServer
                name: behind-lb
                port: %d
                trustedProxies: [127.0.0.10]
                rules:
                - paths:
                  - pathPrefix: /
                    backend: guarded
                """.formatted(port), """
                name: guarded
                kind: HTTPPipeline
                flow:
                - filter: ip
                  jumpIf: {blocked: END}
                - filter: proxy
                filters:
                - name: ip
                  kind: IPFilter
                  blockIPs: [198.51.100.0/24, "2001:db8::/32"]
                - name: proxy
                  kind: Proxy
                  mainPool:
                    servers:
                    - url: %s
                """.formatted(app.url()));

        assertThat(status(port, "127.0.0.10", "/", "X-Forwarded-For: 198.51.100.7")).isEqualTo("403");
        assertThat(status(port, "127.0.0.10", "/", "X-Forwarded-For: 2001:db8::7")).isEqualTo("403");
        assertThat(status(port, "127.0.0.10", "/", "X-Forwarded-For: 198.51.100.7, 203.0.113.4")).isEqualTo("200");
        // Not a trusted proxy: its X-Forwarded-For is not believed.
        assertThat(status(port, "127.0.0.11", "/", "X-Forwarded-For: 198.51.100.7")).isEqualTo("200");
        assertThat(status(port, "127.0.0.10", "/")).isEqualTo("200");
    }
}
