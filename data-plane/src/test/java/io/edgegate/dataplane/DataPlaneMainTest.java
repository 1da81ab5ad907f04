package io.edgegate.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The plain reading of an ordinary command line gives the node picocli would give it, and leaves everything else to picocli. */
class DataPlaneMainTest {

    private static final List<List<String>> ORDINARY = List.of(
            List.of("--insecure"),
            List.of("--insecure", "--node-id", "n1", "--control-plane", "10.0.0.1:2381,10.0.0.2:2381", "--listen-address", "127.0.0.2"),
            List.of("--node-id=n2", "--control-plane=a:1", "--control-plane", "b:2", "--admin-port", "9901", "--admin-address=0.0.0.0",
                    "--data-dir", "/var/lib/edgegate", "--io-threads", "3", "--tls-provider", "jdk", "--insecure"),
            List.of("--tls-cert", "/pki/node.pem", "--tls-key", "/pki/node-key.pem", "--tls-ca", "/pki/ca.pem", "--control-plane-name", "cp"),
            List.of("--pki-dir", "/pki/nodes/n1", "--access-log", "-", "--access-log-format", "combined",
                    "--access-log-max-megabytes", "7", "--access-log-sample", "0.25", "--otlp-endpoint", "http://127.0.0.1:4318/v1/traces",
                    "--trace-sample", "1", "--metrics", "off"),
            List.of("--access-log=off", "--trace-sample=0.5", "--insecure"));

    @Test
    void anOrdinaryCommandLineMakesTheSameConfigAsPicocliMakesOfIt() {
        for (List<String> args : ORDINARY) {
            DataPlaneMain plain = new DataPlaneMain();
            assertThat(plain.readPlainly(args.toArray(String[]::new))).as("%s read plainly", args).isTrue();
            DataPlaneMain viaPicocli = new DataPlaneMain();
            new CommandLine(viaPicocli).parseArgs(args.toArray(String[]::new));
            assertThat(plain.config()).as("%s", args).isEqualTo(viaPicocli.config());
        }
    }

    @Test
    void helpVersionAndWhatPicocliWouldRefuseAreLeftToIt() {
        List<List<String>> others = List.of(
                List.of("--help"), List.of("-h"), List.of("--version"), List.of("-V"),
                List.of("--node-id"), List.of("--node-id", "--insecure"), List.of("--nodeid", "x"), List.of("positional"),
                List.of("--admin-port", "0x10"), List.of("--admin-port", "-1"), List.of("--admin-port", "nine"),
                List.of("--trace-sample", "1e-2"), List.of("--node-id", "a", "--node-id", "b"), List.of("--insecure", "--insecure"),
                List.of("--insecure=true"), List.of("@args.txt"), List.of("--control-plane", "a,,b"), List.of("--node-id="),
                List.of("--access-log", "--metrics", "on"));
        for (List<String> args : others) {
            assertThat(new DataPlaneMain().readPlainly(args.toArray(String[]::new))).as("%s read plainly", args).isFalse();
        }
    }

    @Test
    void everyOptionPicocliKnowsIsReadPlainly() {
        Set<String> picocli = new CommandLine(new DataPlaneMain()).getCommandSpec().options().stream()
                .flatMap(o -> java.util.Arrays.stream(o.names())).filter(n -> n.startsWith("--")).collect(Collectors.toSet());
        Set<String> plain = new java.util.HashSet<>(DataPlaneMain.PLAIN_VALUED);
        plain.addAll(Set.of("--insecure", "--help", "--version"));
        assertThat(plain).isEqualTo(picocli);
    }
}
