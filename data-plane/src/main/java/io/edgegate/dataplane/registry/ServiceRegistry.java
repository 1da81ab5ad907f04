package io.edgegate.dataplane.registry;

import java.util.List;

/** Instances by service, kept current by a watch on the registry. Safe to read from any thread. */
public interface ServiceRegistry extends AutoCloseable {

    /**
     * The instances of {@code service} as last seen (kept while the registry cannot be reached), the
     * same list object until they change; null when it lists none — then pools use their static servers.
     */
    List<ServiceInstance> instancesOf(String service);

    /** Whether it has listed the registry's instances at least once since it started. */
    boolean loaded();

    /** One line for status and logs: where it is and whether it is reachable. */
    String describe();

    @Override
    void close();
}
