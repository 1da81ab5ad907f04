package io.edgegate.dataplane.tls;

import io.edgegate.security.TlsProvider;
import io.edgegate.spec.server.tls.TlsSpec;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Builds the TLS contexts of a config, reusing those of the running config for a server whose
 * certificates did not change (so its session cache survives an apply).
 */
@FunctionalInterface
public interface ServerTlsFactory {

    /** The contexts for {@code spec}: the running ones ({@code current}) when unchanged, else new ones. */
    ServerTls get(TlsSpec spec, Map<TlsSpec, ServerTls> current) throws SSLException;

    static ServerTlsFactory of(TlsProvider provider) {
        return (spec, current) -> {
            ServerTls running = current.get(spec);
            return running != null ? running : ServerTls.build(spec, provider);
        };
    }
}
