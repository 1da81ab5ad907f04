package io.edgegate.controlplane;

import io.edgegate.controlplane.admin.AdminListener;

import io.edgegate.cli.DurationConverter;
import io.edgegate.cli.TlsFileOptions;
import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.controlplane.security.OwnServerCertificate;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    @Option(names = "--etcd-compaction-interval", defaultValue = "5m", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Compact etcd's history to what it was this long ago, this often, so it stays within etcd's quota "
                    + "(default: ${DEFAULT-VALUE}); 0 leaves it to etcd's own --auto-compaction-retention.")
    private Duration etcdCompactionInterval;

    @Option(names = "--admin-listen", paramLabel = "HOST:PORT",
            description = "Serve /healthz and /metrics (Prometheus) here; off without it.")
    private String adminListen;

    @Option(names = "--insecure", description = "No TLS and no tokens: anyone who reaches --listen controls the cluster. Warned on every start.")
    private boolean insecure;

    @CommandLine.Mixin
    private TlsFileOptions tls = new TlsFileOptions();

    @Option(names = "--tls-provider", defaultValue = "auto", paramLabel = "auto|openssl|jdk",
            description = "TLS implementation of --listen: OpenSSL (BoringSSL, netty-tcnative) when it loads, else the JDK's (default: ${DEFAULT-VALUE}).")
    private String tlsProvider;

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "Without --tls-cert (the control plane's certificate; --tls-ca verifies nodes'): a CA and this control plane's certificate are made here on first start "
                    + "(default: <data-dir>/pki); node certificates: 'egctl pki node ID --dir DIR'.")
    private Path pkiDir;

    @Option(names = "--tls-san", split = ",", paramLabel = "NAME",
            description = "Extra host names or IPs for the certificate made under --pki-dir (127.0.0.1, localhost and the listen host are in it).")
    private List<String> tlsSans = List.of();

    @Option(names = "--trust-domain", defaultValue = "edgegate.local", paramLabel = "DOMAIN",
            description = "Node certificates name spiffe://DOMAIN/node/<node-id> (default: ${DEFAULT-VALUE}).")
    private String trustDomain;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "Where the first admin token is written (0600) when no token exists (default: <data-dir>/admin.token).")
    private Path adminTokenFile;

    @Option(names = "--initial-admin-token-file", paramLabel = "FILE",
            description = "An admin token made beforehand (egt_<name>.<secret>; a Kubernetes Secret, a systemd credential): "
                    + "when no admin token works it becomes the admin token, and nothing is written to --admin-token-file.")
    private Path initialAdminTokenFile;

    @Option(names = "--api-rate-limit", defaultValue = "100", paramLabel = "N",
            description = "API calls per second one token may make (default: ${DEFAULT-VALUE}).")
    private double apiRateLimit;

    @Option(names = "--etcd-ca", paramLabel = "FILE", description = "CA of etcd's server certificate: connect to etcd over TLS.")
    private Path etcdCa;

    @Option(names = "--etcd-cert", paramLabel = "FILE", description = "Client certificate for etcd's client-cert auth.")
    private Path etcdCert;

    @Option(names = "--etcd-key", paramLabel = "FILE", description = "Its private key.")
    private Path etcdKey;

    @Option(names = "--etcd-user", paramLabel = "USER", description = "etcd user (etcd auth).")
    private String etcdUser;

    @Option(names = "--etcd-password-file", paramLabel = "FILE", description = "File holding the etcd user's password.")
    private Path etcdPasswordFile;

    /** The certificate made for a start without TLS flags; null when the user gave the files, or with --insecure. */
    private OwnServerCertificate ownCertificate;

    public static void main(String[] args) {
        AdminListener.boundRequestTime();
        System.exit(new CommandLine(new ControlPlaneMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ControlPlane controlPlane;
        try {
            InetSocketAddress address = HostPort.parse(listen, "--listen");
            EtcdAccess etcdAccess = new EtcdAccess(Optional.ofNullable(etcdCa), Optional.ofNullable(etcdCert), Optional.ofNullable(etcdKey),
                    Optional.ofNullable(etcdUser), Optional.ofNullable(etcdPasswordFile));
            ControlPlaneConfig config = new ControlPlaneConfig(address, etcdEndpoints, dataDir, etcdBinary, storeTimeout,
                    security(address), etcdAccess, Optional.ofNullable(adminListen).map(a -> HostPort.parse(a, "--admin-listen")),
                    etcdCompactionInterval);
            controlPlane = ControlPlane.start(config);
        } catch (Exception e) {
            System.err.println("control-plane: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "shutdown"));
        if (ownCertificate != null) {
            ownCertificate.keepRenewed();
        }
        controlPlane.awaitTermination();
        return 0;
    }

    private ControlPlaneSecurity security(InetSocketAddress address) throws IOException {
        Path tokenFile = adminTokenFile != null ? adminTokenFile : dataDir.resolve("admin.token");
        if (insecure) {
            if (initialAdminTokenFile != null) {
                throw new IllegalArgumentException("--initial-admin-token-file needs tokens, which --insecure turns off");
            }
            return new ControlPlaneSecurity(Optional.empty(), trustDomain, tokenFile, apiRateLimit);
        }
        TlsProvider provider = TlsProvider.parse(tlsProvider);
        // Refused before anything starts: --tls-provider openssl where netty-tcnative does not load.
        provider.netty();
        Optional<TlsFiles> given = tls.files();
        TlsFiles files = given.isPresent() ? given.get() : ownPki(address);
        return new ControlPlaneSecurity(Optional.of(files), trustDomain, tokenFile, apiRateLimit, Optional.ofNullable(initialAdminTokenFile),
                provider);
    }

    /** Secure with zero flags: a CA and a server certificate under --pki-dir, made once, reused, and renewed while it runs. */
    private TlsFiles ownPki(InetSocketAddress address) throws IOException {
        PkiDirectory pki = new PkiDirectory(pkiDir != null ? pkiDir : dataDir.resolve("pki"));
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "localhost", "::1"));
        String host = address.getHostString();
        if (!host.equals("0.0.0.0") && !host.equals("::") && !hosts.contains(host)) {
            hosts.add(host);
        }
        tlsSans.stream().filter(name -> !hosts.contains(name)).forEach(hosts::add);
        ownCertificate = new OwnServerCertificate(pki, "control-plane", hosts);
        boolean firstCa = !Files.exists(pki.caCertificate());
        if (ownCertificate.renewIfDue()) {
            System.err.println("control-plane: made " + (firstCa ? "a cluster CA and " : "") + "a certificate for " + String.join(", ", hosts)
                    + " in " + pki.dir() + "; data planes need certificates of it: egctl pki node NODE_ID --dir " + pki.dir());
        }
        return ownCertificate.files();
    }

    /** Parses {@code HOST:PORT} (and {@code [v6]:PORT}) without resolving names. */
    static final class HostPort {

        private HostPort() {
        }

        static InetSocketAddress parse(String value, String option) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(option + ": '" + value + "' is not HOST:PORT");
            }
            String host = value.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(value.substring(colon + 1));
            return new InetSocketAddress(host, port);
        }
    }
}
