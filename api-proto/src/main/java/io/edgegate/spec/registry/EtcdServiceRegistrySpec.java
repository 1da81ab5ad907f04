package io.edgegate.spec.registry;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Service instances in an etcd of the user's (Easegress's format): key
 * {@code <prefix><serviceName>/<instanceID>}, value the instance as JSON. Every data-plane
 * node watches the prefix itself. After {@code cacheTimeout} without reaching etcd, pools fall
 * back to their static servers.
 */
public record EtcdServiceRegistrySpec(String name, List<String> endpoints, String prefix, Duration cacheTimeout)
        implements ObjectSpec {

    public EtcdServiceRegistrySpec {
        endpoints = List.copyOf(endpoints);
    }

    @Override
    public ObjectKind kind() {
        return ObjectKind.ETCD_SERVICE_REGISTRY;
    }

    public static EtcdServiceRegistrySpec decode(String name, SpecObject o) {
        List<String> endpoints = o.stringList("endpoints");
        if (endpoints.isEmpty()) {
            o.error("endpoints", "is required: etcd client URLs, e.g. http://127.0.0.1:2379");
        }
        for (String endpoint : endpoints) {
            try {
                URI uri = new URI(endpoint);
                if (uri.getHost() == null || uri.getPort() < 0 || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    o.error("endpoints", "'" + endpoint + "' is not an etcd URL like http://127.0.0.1:2379");
                }
            } catch (java.net.URISyntaxException | NullPointerException e) {
                o.error("endpoints", "'" + endpoint + "' is not an etcd URL like http://127.0.0.1:2379");
            }
        }
        String prefix = o.string("prefix", "/services/");
        if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
            o.error("prefix", "'" + prefix + "' must start and end with /, e.g. /services/");
        }
        Duration cacheTimeout = o.duration("cacheTimeout", Duration.ofSeconds(60));
        if (cacheTimeout.isZero() || cacheTimeout.isNegative()) {
            o.error("cacheTimeout", "must be positive");
        }
        return new EtcdServiceRegistrySpec(name, endpoints, prefix, cacheTimeout);
    }
}
