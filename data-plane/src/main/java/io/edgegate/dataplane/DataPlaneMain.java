package io.edgegate.dataplane;

import io.edgegate.cli.TlsFileOptions;
import io.edgegate.dataplane.accesslog.AccessLogConfig;
import io.edgegate.dataplane.accesslog.AccessLogFormat;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code bin/data-plane}: a proxy node that takes its config from the control plane. */
@Command(name = "data-plane", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Runs an EdgeGate data-plane node.")
public final class DataPlaneMain implements Callable<Integer> {

    // The defaults, for picocli's annotations and for the plain reading of a command line alike.
    static final String DEFAULT_CONTROL_PLANE = "127.0.0.1:2381";
    static final String DEFAULT_ADMIN_PORT = "0";
    static final String DEFAULT_ADMIN_ADDRESS = "127.0.0.1";
    static final String DEFAULT_DATA_DIR = "./edgegate-node";
    static final String DEFAULT_TLS_PROVIDER = "auto";
    static final String DEFAULT_ACCESS_LOG_FORMAT = "json";
    static final String DEFAULT_ACCESS_LOG_MAX_MEGABYTES = "100";
    static final String DEFAULT_ACCESS_LOG_SAMPLE = "1";
    static final String DEFAULT_TRACE_SAMPLE = "0.01";
    static final String DEFAULT_METRICS = "on";

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's name in the cluster (default: the host name).")
    private String nodeId;

    @Option(names = "--control-plane", split = ",", defaultValue = DEFAULT_CONTROL_PLANE, paramLabel = "HOST:PORT",
            description = "Control planes to connect to, tried in order (default: ${DEFAULT-VALUE}).")
    private List<String> controlPlanes;

    @Option(names = "--listen-address", paramLabel = "IP",
            description = "Address every HTTPServer of this node binds (default: each server's address, else 0.0.0.0).")
    private String listenAddress;

    @Option(names = "--admin-port", defaultValue = DEFAULT_ADMIN_PORT, paramLabel = "PORT",
            description = "Port of the admin endpoint (/healthz, /metrics); 0 disables it.")
    private int adminPort;

    @Option(names = "--admin-address", defaultValue = DEFAULT_ADMIN_ADDRESS, paramLabel = "IP",
            description = "Address the admin endpoint binds (default: ${DEFAULT-VALUE}: metrics must not face clients).")
    private String adminAddress;

    @Option(names = "--data-dir", defaultValue = DEFAULT_DATA_DIR, paramLabel = "DIR",
            description = "Where this node keeps its state (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event-loop threads (default: the number of CPUs).")
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tls-provider", defaultValue = DEFAULT_TLS_PROVIDER, paramLabel = "auto|openssl|jdk",
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

    @Option(names = "--access-log-format", defaultValue = DEFAULT_ACCESS_LOG_FORMAT, paramLabel = "json|combined",
            description = "One JSON object per line, or NGINX's combined format (default: ${DEFAULT-VALUE}).")
    private String accessLogFormat;

    @Option(names = "--access-log-max-megabytes", defaultValue = DEFAULT_ACCESS_LOG_MAX_MEGABYTES, paramLabel = "N",
            description = "Rotate the file when it would pass this size; 5 old ones are kept (default: ${DEFAULT-VALUE}).")
    private long accessLogMaxMegabytes;

    @Option(names = "--access-log-sample", defaultValue = DEFAULT_ACCESS_LOG_SAMPLE, paramLabel = "FRACTION",
            description = "Share of successful requests logged; errors (4xx, 5xx) always are (default: ${DEFAULT-VALUE}).")
    private double accessLogSample;

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Send traces over OTLP/HTTP to this URL, e.g. http://127.0.0.1:4318/v1/traces (default: none, unless "
                    + "OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER is set; OTEL_* variables tune the rest).")
    private String otlpEndpoint;

    @Option(names = "--trace-sample", defaultValue = DEFAULT_TRACE_SAMPLE, paramLabel = "FRACTION",
            description = "Share of new traces sampled; a client's sampling decision is followed (default: ${DEFAULT-VALUE}).")
    private double traceSample;

    @Option(names = "--metrics", defaultValue = DEFAULT_METRICS, paramLabel = "on|off",
            description = "Keep Prometheus metrics (default: ${DEFAULT-VALUE}); off makes /metrics empty and egctl top blank.")
    private String metrics;

    public static void main(String[] args) {
        // With the JDK's TLS (no OpenSSL here, or --tls-provider jdk), a client could renegotiate at will and make
        // the node do handshake after handshake; OpenSSL, NGINX and Go refuse it. An operator's -D setting wins.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
        System.exit(run(args));
    }

    /**
     * Runs a node until it is stopped; its exit status. An ordinary start (known options, each
     * with a well-formed value) is read here: picocli's loading and reflection are ~0.4 s of a
     * node's start. Help, the version and anything picocli would refuse go to picocli, which
     * words them; so does anything this reading is not sure of.
     */
    static int run(String[] args) {
        if (System.getProperty("slf4j.provider") == null) {
            // Before anything logs: logging is bound without searching the class path (NodeLogging).
            System.setProperty("slf4j.provider", NodeLogging.class.getName());
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        if (System.getProperty("java.nio.channels.spi.SelectorProvider") == null && System.getProperty("os.name").equals("Linux")) {
            // The JDK's own default on Linux, named so that it is not first looked for in every jar of the class path.
            System.setProperty("java.nio.channels.spi.SelectorProvider", "sun.nio.ch.EPollSelectorProvider");
        }
        DataPlaneMain main = new DataPlaneMain();
        if (!main.readPlainly(args)) {
            // A fresh instance: the plain reading may have set some options before it gave up.
            return new CommandLine(new DataPlaneMain()).execute(args);
        }
        try {
            return main.call();
        } catch (Exception e) {
            // As picocli reports an exception of the command it ran.
            e.printStackTrace();
            return 1;
        }
    }

    /** Fills the options from {@code args} as picocli would; false (nothing to rely on) at the first thing it does not know. */
    boolean readPlainly(String[] args) {
        Map<String, String> given = new HashMap<>();
        List<String> planes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (name.equals("--insecure")) {
                if (equals > 0 || given.put(name, "") != null) {
                    return false;
                }
                continue;
            }
            if (!PLAIN_VALUED.contains(name)) {
                return false;
            }
            String value;
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && !looksLikeOption(args[i + 1])) {
                value = args[++i];
            } else {
                return false;
            }
            if (value.isEmpty()) {
                return false;
            }
            if (name.equals("--control-plane")) {
                List<String> parts = List.of(value.split(",", -1));
                // Quotes and empty parts are split by picocli's own rules.
                if (value.contains("\"") || parts.contains("")) {
                    return false;
                }
                planes.addAll(parts);
            } else if (given.put(name, value) != null) {
                return false;
            }
        }
        try {
            nodeId = given.get("--node-id");
            controlPlanes = planes.isEmpty() ? List.of(DEFAULT_CONTROL_PLANE.split(",")) : planes;
            listenAddress = given.get("--listen-address");
            adminPort = decimalInt(given.getOrDefault("--admin-port", DEFAULT_ADMIN_PORT));
            adminAddress = given.getOrDefault("--admin-address", DEFAULT_ADMIN_ADDRESS);
            dataDir = Path.of(given.getOrDefault("--data-dir", DEFAULT_DATA_DIR));
            if (given.containsKey("--io-threads")) {
                ioThreads = decimalInt(given.get("--io-threads"));
            }
            tlsProvider = given.getOrDefault("--tls-provider", DEFAULT_TLS_PROVIDER);
            insecure = given.containsKey("--insecure");
            tls = new TlsFileOptions(path(given.get("--tls-cert")), path(given.get("--tls-key")), path(given.get("--tls-ca")));
            pkiDir = path(given.get("--pki-dir"));
            controlPlaneName = given.get("--control-plane-name");
            accessLog = given.get("--access-log");
            accessLogFormat = given.getOrDefault("--access-log-format", DEFAULT_ACCESS_LOG_FORMAT);
            accessLogMaxMegabytes = decimalLong(given.getOrDefault("--access-log-max-megabytes", DEFAULT_ACCESS_LOG_MAX_MEGABYTES));
            accessLogSample = plainDouble(given.getOrDefault("--access-log-sample", DEFAULT_ACCESS_LOG_SAMPLE));
            otlpEndpoint = given.get("--otlp-endpoint");
            traceSample = plainDouble(given.getOrDefault("--trace-sample", DEFAULT_TRACE_SAMPLE));
            metrics = given.getOrDefault("--metrics", DEFAULT_METRICS);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The options read plainly, each taking a value (--insecure is the one flag). */
    static final Set<String> PLAIN_VALUED = Set.of("--node-id", "--control-plane", "--listen-address", "--admin-port",
            "--admin-address", "--data-dir", "--io-threads", "--tls-provider", "--tls-cert", "--tls-key", "--tls-ca", "--pki-dir",
            "--control-plane-name", "--access-log", "--access-log-format", "--access-log-max-megabytes", "--access-log-sample",
            "--otlp-endpoint", "--trace-sample", "--metrics");

    /** What picocli may take for an option rather than a value ("-" alone is standard output, a value). */
    private static boolean looksLikeOption(String arg) {
        return arg.startsWith("-") && !arg.equals("-");
    }

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");
    private static final Pattern PLAIN_FRACTION = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    /** Only what every reading agrees on: a hexadecimal or signed number is left to picocli. */
    private static int decimalInt(String value) {
        return Math.toIntExact(decimalLong(value));
    }

    private static long decimalLong(String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw new IllegalArgumentException(value);
        }
        return Long.parseLong(value);
    }

    private static double plainDouble(String value) {
        if (!PLAIN_FRACTION.matcher(value).matches()) {
            throw new IllegalArgumentException(value);
        }
        return Double.parseDouble(value);
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
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
        // The hook is in place before the start: the node serves its last-good config before start
        // returns, and a stop in that window must close it (a hook added during shutdown is refused).
        AtomicReference<DataPlane> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DataPlane dataPlane = running.getAndSet(null);
            if (dataPlane != null) {
                dataPlane.close();
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            running.set(DataPlane.start(config));
        } catch (RuntimeException e) {
            System.err.println("data-plane: " + e.getMessage());
            return 1;
        }
        stopped.await();
        return 0;
    }

    /** The node's config from the options (read by picocli or plainly). */
    DataPlaneConfig config() {
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
