package io.edgegate.controlplane.etcd;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the control plane reaches etcd securely: the CA that signed etcd's certificate, its own
 * client certificate and key (etcd's client-cert auth), and a user with a password file (etcd's
 * auth). All optional: none of them is plaintext without auth.
 */
public record EtcdAccess(Optional<Path> ca, Optional<Path> certificate, Optional<Path> key, Optional<String> user,
                         Optional<Path> passwordFile) {

    public EtcdAccess {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("--etcd-cert and --etcd-key go together");
        }
        if (user.isPresent() != passwordFile.isPresent()) {
            throw new IllegalArgumentException("--etcd-user and --etcd-password-file go together");
        }
        if (certificate.isPresent() && ca.isEmpty()) {
            throw new IllegalArgumentException("--etcd-cert needs --etcd-ca (the CA of etcd's server certificate)");
        }
    }

    public static EtcdAccess none() {
        return new EtcdAccess(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean tls() {
        return ca.isPresent();
    }
}
