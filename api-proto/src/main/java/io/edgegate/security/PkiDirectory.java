package io.edgegate.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The files of a cluster's PKI in one directory (0700), as {@code egctl pki init} lays them out:
 * the cluster CA with the control plane's server certificate; under {@code etcd/} a CA of its own
 * for etcd's server and client certificates (so no node certificate is ever an etcd login); and
 * under {@code nodes/<id>/} each node's bundle: its certificate, its key and the cluster CA's
 * certificate, never the CA's key (a node is given only its bundle). Keys are 0600. CAs are made
 * once and reused.
 */
public final class PkiDirectory {

    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration LEAF_VALIDITY = Duration.ofDays(365);

    private final Path dir;

    public PkiDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    public Path caKey() {
        return dir.resolve("ca-key.pem");
    }

    public Path certificate(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path key(String name) {
        return dir.resolve(name + "-key.pem");
    }

    /** The files of one issued certificate, trusting this directory's CA. */
    public TlsFiles files(String name) {
        return TlsFiles.of(certificate(name), key(name), caCertificate());
    }

    /** etcd's own PKI: a separate CA, so a node's certificate cannot log in to etcd. */
    public PkiDirectory etcd() {
        return new PkiDirectory(dir.resolve("etcd"));
    }

    /** The directory of a node's bundle (what {@code data-plane --pki-dir} takes). */
    public Path nodeBundle(String nodeId) {
        return dir.resolve("nodes").resolve(nodeId);
    }

    /** The TLS files of a node's bundle directory. */
    public static TlsFiles bundleFiles(Path bundle) {
        return TlsFiles.of(bundle.resolve("node.pem"), bundle.resolve("node-key.pem"), bundle.resolve("ca.pem"));
    }

    /** The CA of this directory, created when there is none yet. */
    public CertificateAuthority authority() throws IOException {
        Pem.createPrivateDirectory(dir);
        if (Files.exists(caCertificate()) || Files.exists(caKey())) {
            return CertificateAuthority.load(caCertificate(), caKey());
        }
        CertificateAuthority authority = CertificateAuthority.create("EdgeGate cluster CA", CA_VALIDITY);
        authority.writeTo(caCertificate(), caKey());
        return authority;
    }

    /** A server certificate named {@code name} for these hosts (replaced when it exists). */
    public TlsFiles issueServer(String name, List<String> hosts) throws IOException {
        authority().issueServer(name, hosts, LEAF_VALIDITY).writeTo(certificate(name), key(name));
        return files(name);
    }

    public TlsFiles issueClient(String name) throws IOException {
        authority().issueClient(name, LEAF_VALIDITY).writeTo(certificate(name), key(name));
        return files(name);
    }

    /** Issues (or replaces) a node's certificate into its bundle, with a copy of the cluster CA's certificate. */
    public TlsFiles issueNode(String trustDomain, String nodeId) throws IOException {
        CertificateAuthority authority = authority();
        Path bundle = nodeBundle(nodeId);
        Pem.createPrivateDirectory(bundle.getParent());
        Pem.createPrivateDirectory(bundle);
        TlsFiles files = bundleFiles(bundle);
        Pem.writePublic(files.ca(), Files.readString(caCertificate()));
        authority.issueNode(trustDomain, nodeId, LEAF_VALIDITY).writeTo(files.certificate().get(), files.key().get());
        return files;
    }

    /** Whether the certificate of this name is missing or expires within {@code margin} (then it should be issued anew). */
    public boolean needsIssuing(String name, Duration margin) {
        if (!has(name)) {
            return true;
        }
        try {
            return Pem.readCertificates(certificate(name)).get(0).getNotAfter().toInstant()
                    .isBefore(java.time.Instant.now().plus(margin));
        } catch (TlsFileException e) {
            return true;
        }
    }

    /** Whether a certificate of this name exists already. */
    public boolean has(String name) {
        return Files.exists(certificate(name)) && Files.exists(key(name));
    }
}
