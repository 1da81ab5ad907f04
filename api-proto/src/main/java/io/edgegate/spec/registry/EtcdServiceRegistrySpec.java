package io.edgegate.spec.registry;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Service instances in an etcd of the user's (Easegress's format): key
 * {@code <prefix><serviceName>/<instanceID>}, value the instance as JSON. Endpoints are URLs;
 * {@code host:port} alone means {@code http://host:port}, as etcd's Go client reads it. Every data-plane
 * node watches the prefix itself, and reads it every third of {@code cacheTimeout} to see etcd is
 * there. Without etcd, pools keep the instances it last listed (as Easegress); once it answers
 * again after a failed read, the prefix is read anew.
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
        List<String> endpoints = new java.util.ArrayList<>();
        if (o.stringList("endpoints").isEmpty()) {
            o.error("endpoints", "is required: etcd client URLs, e.g. http://127.0.0.1:2379");
        }
        for (String endpoint : o.stringList("endpoints")) {
            // As etcd's Go client (and so Easegress) reads it: host:port alone is plain http.
            String url = endpoint.contains("://") ? endpoint : "http://" + endpoint;
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getPort() < 0 || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    o.error("endpoints", "'" + endpoint + "' is not an etcd endpoint like 127.0.0.1:2379 or https://etcd-1:2379");
                }
            } catch (java.net.URISyntaxException e) {
                o.error("endpoints", "'" + endpoint + "' is not an etcd endpoint like 127.0.0.1:2379 or https://etcd-1:2379");
            }
            endpoints.add(url);
        }
        String prefix = o.string("prefix", "/services/");
        if (!prefix.startsWith("/")) {
            o.error("prefix", "'" + prefix + "' must start with /, e.g. /services/");
        } else if (!prefix.endsWith("/")) {
            prefix += "/"; // Easegress joins the prefix and the key as paths: /services and /services/ are one
        }
        Duration cacheTimeout = o.duration("cacheTimeout", Duration.ofSeconds(60));
        if (cacheTimeout.isZero() || cacheTimeout.isNegative()) {
            o.error("cacheTimeout", "must be positive");
        }
        return new EtcdServiceRegistrySpec(name, endpoints, prefix, cacheTimeout);
    }
}
