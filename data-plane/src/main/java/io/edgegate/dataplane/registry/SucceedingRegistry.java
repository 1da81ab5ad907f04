package io.edgegate.dataplane.registry;

import java.util.List;

/**
 * The client of a registry whose spec changed, standing in for the client it replaces: until it has listed the
 * registry once, pools keep the instances the earlier one last listed (as Easegress keeps a pool's servers until
 * the new registry's first list), rather than fall to their static servers or to no server at all.
 */
final class SucceedingRegistry implements ServiceRegistry {

    private final ServiceRegistry next;
    /** Null once {@code next} has loaded. Read after its close too: a closed client still answers what it last listed. */
    private volatile ServiceRegistry previous;

    SucceedingRegistry(ServiceRegistry next, ServiceRegistry previous) {
        this.next = next;
        this.previous = previous;
    }

    @Override
    public List<ServiceInstance> instancesOf(String service) {
        ServiceRegistry earlier = previous;
        if (earlier != null) {
            if (!next.loaded()) {
                return earlier.instancesOf(service);
            }
            previous = null;
        }
        return next.instancesOf(service);
    }

    @Override
    public boolean loaded() {
        return next.loaded();
    }

    @Override
    public String describe() {
        return next.describe() + (previous != null && !next.loaded() ? " (not listed yet: the instances of its earlier spec meanwhile)" : "");
    }

    @Override
    public void close() {
        next.close();
    }
}
