package io.edgegate.security;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS implementation a program uses: OpenSSL (BoringSSL via netty-tcnative) when it loads,
 * else the JDK's. Data planes terminate client TLS and speak to the control plane with it; the
 * control plane serves its port with it.
 */
public enum TlsProvider {
    AUTO, OPENSSL, JDK;

    public static TlsProvider parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a TLS provider (expected auto, openssl or jdk)");
        }
    }

    /** The Netty provider to use; OPENSSL only where the native library loads and supports ALPN. */
    public SslProvider netty() {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("OpenSSL (netty-tcnative) is not available here: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
                    ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }
}
