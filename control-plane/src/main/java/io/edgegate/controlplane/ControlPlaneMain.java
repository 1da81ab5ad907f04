package io.edgegate.controlplane;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import io.edgegate.cli.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/control-plane}: validates objects, stores them in etcd, streams them to data planes. */
@Command(name = "control-plane", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Runs an EdgeGate control plane.")
public final class ControlPlaneMain implements Callable<Integer> {

    @Option(names = "--listen", defaultValue = "127.0.0.1:2381", paramLabel = "HOST:PORT",
            description = "gRPC address for egctl and data planes (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Option(names = "--etcd-endpoints", split = ",", paramLabel = "URL",
            description = "etcd client URLs. Without them a local etcd is started under --data-dir.")
    private List<String> etcdEndpoints = List.of();

    @Option(names = "--data-dir", defaultValue = "./edgegate-data", paramLabel = "DIR",
            description = "Where the local etcd keeps its data (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--etcd-binary", defaultValue = "etcd", paramLabel = "PATH",
            description = "The etcd program to run for the local etcd (default: ${DEFAULT-VALUE}).")
    private String etcdBinary;

    @Option(names = "--store-timeout", defaultValue = "5s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a call to etcd may take before it fails (default: ${DEFAULT-VALUE}).")
    private Duration storeTimeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ControlPlaneMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneConfig config = new ControlPlaneConfig(HostPort.parse(listen, "--listen"), etcdEndpoints,
                dataDir, etcdBinary, storeTimeout);
        ControlPlane controlPlane;
        try {
            controlPlane = ControlPlane.start(config);
        } catch (Exception e) {
            System.err.println("control-plane: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "shutdown"));
        controlPlane.awaitTermination();
        return 0;
    }

    /** Parses {@code HOST:PORT} (and {@code [v6]:PORT}) without resolving names. */
    static final class HostPort {

        private HostPort() {
        }

        static InetSocketAddress parse(String value, String option) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new CommandLine.ParameterException(new CommandLine(new ControlPlaneMain()),
                        option + ": '" + value + "' is not HOST:PORT");
            }
            String host = value.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(value.substring(colon + 1));
            return new InetSocketAddress(host, port);
        }
    }

    /** Accepts Go-style durations such as 500ms or 5s. */
}
