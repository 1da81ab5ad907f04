package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ReplicaNameTest {

    @Test
    void replicasListeningOnEveryAddressAreNamedByTheirHost() {
        // The shipped Deployment runs two replicas, both with --listen=0.0.0.0:2381.
        assertThat(ReplicaName.of(new InetSocketAddress("0.0.0.0", 2381), () -> "control-plane-7d9f-abcde"))
                .isEqualTo("control-plane-7d9f-abcde:2381");
        assertThat(ReplicaName.of(new InetSocketAddress("::", 2381), () -> "control-plane-7d9f-fghij"))
                .isEqualTo("control-plane-7d9f-fghij:2381");
    }

    @Test
    void aReplicaListeningOnOneAddressIsNamedByIt() {
        assertThat(ReplicaName.of(new InetSocketAddress("10.0.0.7", 2381), () -> "unused")).isEqualTo("10.0.0.7:2381");
        assertThat(ReplicaName.of(new InetSocketAddress("127.0.0.1", 2381), () -> "unused")).isEqualTo("127.0.0.1:2381");
    }

    @Test
    void thisHostHasAName() {
        assertThat(ReplicaName.hostName()).isNotBlank().doesNotContain("\n");
    }
}
