package io.edgegate.dataplane;

import io.edgegate.cli.TlsFileOptions;
import io.edgegate.dataplane.accesslog.AccessLogConfig;
import io.edgegate.dataplane.accesslog.AccessLogFormat;
import io.edgegate.dataplane.tls.TlsProvider;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.TlsFiles;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code bin/data-plane}: a proxy node that takes its config from the control plane. */
@Command(name = "data-plane", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Runs an EdgeGate data-plane node.")
public final class DataPlaneMain implements Callable<Integer> {

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's name in the cluster (default: the host name).")
    private String nodeId;

    @Option(names = "--control-plane", split = ",", defaultValue = "127.0.0.1:2381", paramLabel = "HOST:PORT",
            description = "Control planes to connect to, tried in order (default: ${DEFAULT-VALUE}).")
    private List<String> controlPlanes;

    @Option(names = "--listen-address", paramLabel = "IP",
            description = "Address every HTTPServer of this node binds (default: each server's address, else 0.0.0.0).")
    private String listenAddress;

    @Option(names = "--admin-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the admin endpoint (/healthz, /metrics); 0 disables it.")
    private int adminPort;

    @Option(names = "--admin-address", defaultValue = "127.0.0.1", paramLabel = "IP",
            description = "Address the admin endpoint binds (default: ${DEFAULT-VALUE}: metrics must not face clients).")
    private String adminAddress;

    @Option(names = "--data-dir", defaultValue = "./edgegate-node", paramLabel = "DIR",
            description = "Where this node keeps its state (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event-loop threads (default: the number of CPUs).")
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tls-provider", defaultValue = "auto", paramLabel = "auto|openssl|jdk",
            description = "TLS implementation: OpenSSL (BoringSSL, netty-tcnative) when it loads, else the JDK's (default: ${DEFAULT-VALUE}).")
    private String tlsProvider;

    @Option(names = "--insecure", description = "Plaintext to the control plane, no node certificate (a control plane run with --insecure).")
    private boolean insecure;

    @CommandLine.Mixin
    private TlsFileOptions tls = new TlsFileOptions();

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "Instead of --tls-cert/--tls-key (this node's identity) and --tls-ca (the control plane's CA): "
                    + "the node's bundle made by 'egctl pki node' (node.pem, node-key.pem, ca.pem).")
    private Path pkiDir;

    @Option(names = "--control-plane-name", paramLabel = "NAME",
            description = "The name the control plane's certificate must carry (default: the host of each --control-plane address).")
    private String controlPlaneName;

    @Option(names = "--access-log", paramLabel = "FILE|-|off",
            description = "One line per request: a file (rotated by size), - for standard output, or off (default: <data-dir>/access.log).")
    private String accessLog;

    @Option(names = "--access-log-format", defaultValue = "json", paramLabel = "json|combined",
            description = "One JSON object per line, or NGINX's combined format (default: ${DEFAULT-VALUE}).")
    private String accessLogFormat;

    @Option(names = "--access-log-max-megabytes", defaultValue = "100", paramLabel = "N",
            description = "Rotate the file when it would pass this size; 5 old ones are kept (default: ${DEFAULT-VALUE}).")
    private long accessLogMaxMegabytes;

    @Option(names = "--access-log-sample", defaultValue = "1", paramLabel = "FRACTION",
            description = "Share of successful requests logged; errors (4xx, 5xx) always are (default: ${DEFAULT-VALUE}).")
    private double accessLogSample;

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Send traces over OTLP/HTTP to this URL, e.g. http://127.0.0.1:4318/v1/traces (default: none, unless "
                    + "OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER is set; OTEL_* variables tune the rest).")
    private String otlpEndpoint;

    @Option(names = "--trace-sample", defaultValue = "0.01", paramLabel = "FRACTION",
            description = "Share of new traces sampled; a client's sampling decision is followed (default: ${DEFAULT-VALUE}).")
    private double traceSample;

    @Option(names = "--metrics", defaultValue = "on", paramLabel = "on|off",
            description = "Keep Prometheus metrics (default: ${DEFAULT-VALUE}); off makes /metrics empty and egctl top blank.")
    private String metrics;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DataPlaneMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        DataPlaneConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("data-plane: " + e.getMessage());
            return 2;
        }
        DataPlane dataPlane;
        try {
            dataPlane = DataPlane.start(config);
        } catch (RuntimeException e) {
            System.err.println("data-plane: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dataPlane.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    private DataPlaneConfig config() {
        String id = nodeId == null ? defaultNodeId() : nodeId;
        if (!(traceSample >= 0 && traceSample <= 1)) {
            throw new IllegalArgumentException("--trace-sample must be a fraction from 0 to 1, got " + traceSample);
        }
        return new DataPlaneConfig(
                id,
                controlPlanes,
                Optional.ofNullable(listenAddress),
                adminPort,
                adminAddress,
                dataDir,
                ioThreads,
                TlsProvider.parse(tlsProvider),
                controlTls(id),
                Optional.ofNullable(controlPlaneName),
                AccessLogConfig.parse(accessLog != null ? accessLog : dataDir.resolve("access.log").toString(),
                        AccessLogFormat.parse(accessLogFormat), accessLogMaxMegabytes * 1024 * 1024, 5, accessLogSample),
                Optional.ofNullable(otlpEndpoint), traceSample, switch (metrics) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--metrics must be on or off, got '" + metrics + "'");
                });
    }

    private Optional<TlsFiles> controlTls(String id) {
        if (insecure) {
            return Optional.empty();
        }
        Optional<TlsFiles> given = tls.files();
        if (given.isPresent()) {
            return given;
        }
        if (pkiDir != null) {
            if (java.nio.file.Files.exists(pkiDir.resolve("ca-key.pem"))) {
                // A node that can read the CA's key could issue itself any node's identity.
                throw new IllegalArgumentException("--pki-dir " + pkiDir + " holds the CA's private key (ca-key.pem); give a node only "
                        + "its own bundle, which 'egctl pki node " + id + " --dir DIR' writes to DIR/nodes/" + id);
            }
            return Optional.of(PkiDirectory.bundleFiles(pkiDir));
        }
        throw new IllegalArgumentException("the control channel is TLS with a node certificate: give --tls-cert, --tls-key and --tls-ca "
                + "(make them with 'egctl pki node " + id + " --dir DIR', or use --pki-dir DIR), or --insecure for a control plane run with --insecure");
    }

    private static String defaultNodeId() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node-" + ProcessHandle.current().pid();
        }
    }
}
