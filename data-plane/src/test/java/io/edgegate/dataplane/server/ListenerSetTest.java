package io.edgegate.dataplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a config's servers would listen on a node, and what the node refuses before it binds anything. */
class ListenerSetTest {

    private static final String PIPELINE = """
            kind: HTTPPipeline
            name: p
            filters:
            - name: answer
              kind: Mock
              rules:
              - code: 200
            """;

    private static ServerState server(String name, String portAndAddress) {
        return EmbeddedHttp1.state("kind: HTTPServer\nname: " + name + "\n" + portAndAddress
                + "\nrules:\n- paths:\n  - pathPrefix: /\n    backend: p\n", PIPELINE);
    }

    /** A node's listeners as DataPlane makes them; nothing is bound by what these tests ask. */
    private static ListenerSet node(Optional<String> listenAddress, String adminHost, int adminPort) {
        return new ListenerSet(null, null, null, listenAddress, a -> null, Optional.of(new InetSocketAddress(adminHost, adminPort)));
    }

    @Test
    void aServerOnTheNodesAdminListenerIsRefusedAsTheConfigsFaultNotTheHosts() {
        ListenerSet listeners = node(Optional.empty(), "127.0.0.1", 9901);

        assertThatThrownBy(() -> listeners.byAddress(List.of(server("metrics", "port: 9901"))))
                .isInstanceOfSatisfying(ListenerException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("HTTPServer metrics cannot listen on 0.0.0.0:9901: this node's admin "
                            + "listener (--admin-address, --admin-port) is on 127.0.0.1:9901");
                    // Retrying would fail the same way for ever.
                    assertThat(e.mayPassLater()).isFalse();
                });
        assertThatThrownBy(() -> listeners.byAddress(List.of(server("metrics", "port: 9901\naddress: 127.0.0.1"))))
                .isInstanceOf(ListenerException.class);
    }

    @Test
    void otherAddressesAndPortsAreTheServersOwn() throws ListenerException {
        assertThat(node(Optional.empty(), "127.0.0.1", 9901).byAddress(List.of(
                server("beside", "port: 9901\naddress: 127.0.0.2"), server("other", "port: 9902")))).hasSize(2);
        // With --listen-address every server is on that address, whatever its own says.
        assertThat(node(Optional.of("127.0.0.3"), "127.0.0.2", 9901).byAddress(List.of(server("any", "port: 9901")))).hasSize(1);
        assertThatThrownBy(() -> node(Optional.of("127.0.0.2"), "127.0.0.2", 9901)
                .byAddress(List.of(server("elsewhere", "port: 9901\naddress: 127.0.0.9"))))
                .hasMessage("HTTPServer elsewhere cannot listen on 127.0.0.2:9901: this node's admin listener "
                        + "(--admin-address, --admin-port) is on 127.0.0.2:9901");
        assertThatThrownBy(() -> node(Optional.of("127.0.0.2"), "0.0.0.0", 9901).byAddress(List.of(server("any", "port: 9901"))))
                .as("an admin listener on every address").isInstanceOf(ListenerException.class);
    }
}
