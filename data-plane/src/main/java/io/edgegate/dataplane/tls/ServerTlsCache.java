package io.edgegate.dataplane.tls;

import io.edgegate.spec.server.tls.TlsSpec;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Keeps the TLS contexts of the applied config, so an apply that leaves a server's
 * certificates alone reuses them (and their session caches) instead of rebuilding.
 * Used by the one thread that applies configs.
 */
public final class ServerTlsCache {

    private final TlsProvider provider;
    private Map<TlsSpec, ServerTls> applied = Map.of();
    private final Map<TlsSpec, ServerTls> pending = new HashMap<>();

    public ServerTlsCache(TlsProvider provider) {
        this.provider = provider;
    }

    /** The contexts for {@code spec}: the applied ones when unchanged, else new ones. */
    public ServerTls get(TlsSpec spec) throws SSLException {
        ServerTls tls = applied.get(spec);
        if (tls == null) {
            tls = pending.get(spec);
        }
        if (tls == null) {
            tls = ServerTls.build(spec, provider);
        }
        pending.put(spec, tls);
        return tls;
    }

    /** The config built with the contexts handed out since the last call was applied: keep those, drop the rest. */
    public void applied() {
        applied = Map.copyOf(pending);
        pending.clear();
    }

    /** The config was rejected: forget what was built for it. */
    public void rejected() {
        pending.clear();
    }
}
