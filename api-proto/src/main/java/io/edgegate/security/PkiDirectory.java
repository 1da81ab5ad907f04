package io.edgegate.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The files of a cluster's PKI in one directory (0700), as {@code egctl pki init} lays them out:
 * the CA, the control plane's server certificate, etcd's server and client certificates, and one
 * client certificate per data-plane node. Keys are 0600. The CA is made once and reused.
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

    public static String nodeName(String nodeId) {
        return "data-plane-" + nodeId;
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

    public TlsFiles issueNode(String trustDomain, String nodeId) throws IOException {
        String name = nodeName(nodeId);
        authority().issueNode(trustDomain, nodeId, LEAF_VALIDITY).writeTo(certificate(name), key(name));
        return files(name);
    }

    /** Whether a certificate of this name exists already. */
    public boolean has(String name) {
        return Files.exists(certificate(name)) && Files.exists(key(name));
    }
}
