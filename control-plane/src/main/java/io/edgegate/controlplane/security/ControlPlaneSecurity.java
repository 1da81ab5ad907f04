package io.edgegate.controlplane.security;

import io.edgegate.security.NodeIdentity;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a control plane guards its port: its TLS files (absent only with {@code --insecure}, which
 * also turns tokens off), the trust domain node certificates name, where the first admin token is
 * written (or, when {@code initialAdminToken} names a file, the token made beforehand that becomes
 * the admin token instead), how many calls per second one token may make, and which TLS
 * implementation serves the port.
 */
public record ControlPlaneSecurity(Optional<TlsFiles> tls, String trustDomain, Path adminTokenFile, double callsPerSecondPerToken,
                                   Optional<Path> initialAdminToken, TlsProvider tlsProvider) {

    public ControlPlaneSecurity(Optional<TlsFiles> tls, String trustDomain, Path adminTokenFile, double callsPerSecondPerToken,
                                Optional<Path> initialAdminToken) {
        this(tls, trustDomain, adminTokenFile, callsPerSecondPerToken, initialAdminToken, TlsProvider.AUTO);
    }

    public ControlPlaneSecurity(Optional<TlsFiles> tls, String trustDomain, Path adminTokenFile, double callsPerSecondPerToken) {
        this(tls, trustDomain, adminTokenFile, callsPerSecondPerToken, Optional.empty());
    }

    /** The same, served with {@code provider}'s TLS. */
    public ControlPlaneSecurity withTlsProvider(TlsProvider provider) {
        return new ControlPlaneSecurity(tls, trustDomain, adminTokenFile, callsPerSecondPerToken, initialAdminToken, provider);
    }

    public static final double DEFAULT_CALLS_PER_SECOND = 100;

    public static ControlPlaneSecurity disabled() {
        return new ControlPlaneSecurity(Optional.empty(), NodeIdentity.DEFAULT_TRUST_DOMAIN, Path.of("admin.token"), DEFAULT_CALLS_PER_SECOND);
    }

    public static ControlPlaneSecurity tls(TlsFiles files, Path adminTokenFile) {
        return new ControlPlaneSecurity(Optional.of(files), NodeIdentity.DEFAULT_TRUST_DOMAIN, adminTokenFile, DEFAULT_CALLS_PER_SECOND);
    }

    public boolean insecure() {
        return tls.isEmpty();
    }
}
