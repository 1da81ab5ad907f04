package io.edgegate.spec.registry;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.List;

/**
 * Service instances in ZooKeeper (Easegress's format): each znode under {@code prefix} holds an
 * instance as JSON; its {@code serviceName} (else the parent znode's name) says which service
 * it belongs to. Every data-plane node watches the tree itself, so a registered instance
 * receives traffic without an apply. {@code conntimeout} bounds connecting; without a
 * connection, pools keep the instances it last listed (as Easegress). {@code syncInterval} is
 * read for Easegress's sake: watches, not polling, keep the instances current.
 */
public record ZookeeperServiceRegistrySpec(String name, List<String> zkservices, String prefix, Duration conntimeout,
                                           Duration syncInterval) implements ObjectSpec {

    public ZookeeperServiceRegistrySpec {
        zkservices = List.copyOf(zkservices);
    }

    @Override
    public ObjectKind kind() {
        return ObjectKind.ZOOKEEPER_SERVICE_REGISTRY;
    }

    /** The connect string Curator takes: host:port,host:port. */
    public String connectString() {
        return String.join(",", zkservices);
    }

    public static ZookeeperServiceRegistrySpec decode(String name, SpecObject o) {
        List<String> servers = o.stringList("zkservices");
        if (servers.isEmpty()) {
            o.error("zkservices", "is required: the ZooKeeper servers as host:port");
        }
        for (String server : servers) {
            if (!server.matches("[^:/\\s]+:\\d{1,5}")) {
                o.error("zkservices", "'" + server + "' is not host:port");
            }
        }
        String prefix = o.requiredString("prefix");
        if (!prefix.isEmpty() && !prefix.startsWith("/")) {
            o.error("prefix", "'" + prefix + "' must be a znode path starting with /");
        }
        Duration connTimeout = o.duration("conntimeout", Duration.ofSeconds(6));
        Duration syncInterval = o.duration("syncInterval", Duration.ofSeconds(10));
        if (connTimeout.isZero() || connTimeout.isNegative() || syncInterval.isZero() || syncInterval.isNegative()) {
            o.error("conntimeout and syncInterval must be positive");
        }
        return new ZookeeperServiceRegistrySpec(name, servers, prefix.length() > 1 ? prefix.replaceAll("/+$", "") : prefix,
                connTimeout, syncInterval);
    }
}
