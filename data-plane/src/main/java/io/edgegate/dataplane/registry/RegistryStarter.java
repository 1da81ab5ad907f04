package io.edgegate.dataplane.registry;

import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import java.util.concurrent.ScheduledExecutorService;

/** Starts the client of a service registry object. */
@FunctionalInterface
public interface RegistryStarter {

    ServiceRegistry start(ObjectSpec spec);

    /** The clients of the registry kinds EdgeGate has; {@code scheduler} runs the etcd registries' checks (not an event loop). */
    static RegistryStarter of(ScheduledExecutorService scheduler) {
        return spec -> {
            if (spec instanceof ZookeeperServiceRegistrySpec zk) {
                return new ZookeeperRegistry(zk);
            }
            if (spec instanceof EtcdServiceRegistrySpec etcd) {
                return new EtcdRegistry(etcd, scheduler);
            }
            throw new IllegalArgumentException(spec.kind() + " is not a service registry");
        };
    }
}
