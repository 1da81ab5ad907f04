package io.edgegate.dataplane.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The service registries of the running config, by name, as pools read them per request (so a
 * pool picks up a registry that appears later). It reads the node's one runtime reference.
 */
public final class RegistryView {

    private final Supplier<Map<String, RunningRegistry>> running;

    public RegistryView(Supplier<Map<String, RunningRegistry>> running) {
        this.running = running;
    }

    /** Instances of {@code service} in registry {@code registry}, or null: unknown registry, unreachable, or none. */
    public List<ServiceInstance> instances(String registry, String service) {
        RunningRegistry r = running.get().get(registry);
        return r == null ? null : r.registry().instancesOf(service);
    }
}
