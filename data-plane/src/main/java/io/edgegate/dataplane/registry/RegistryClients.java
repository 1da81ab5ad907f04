package io.edgegate.dataplane.registry;

import io.edgegate.spec.ObjectSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the registry clients of a new config without touching the running ones: unchanged
 * registries keep their client (connection and instances), new or changed ones get a new
 * client (a changed one's pools keep the instances the old client listed until the new one has
 * listed its own). Nothing is closed here: the caller closes the retired clients once the new config
 * serves, or the started ones if it is abandoned.
 */
public final class RegistryClients {

    private static final Logger log = LoggerFactory.getLogger(RegistryClients.class);

    private final RegistryStarter starter;

    public RegistryClients(RegistryStarter starter) {
        this.starter = starter;
    }

    /** The registries of a config being built: those it runs, those it started, those of the old one it does not keep. */
    public record Prepared(Map<String, RunningRegistry> running, List<ServiceRegistry> started, List<ServiceRegistry> retired) {
    }

    /** Starts what {@code specs} need beyond {@code current}; if a start fails, closes what it started and rethrows. */
    public Prepared prepare(Collection<ObjectSpec> specs, Map<String, RunningRegistry> current) {
        Map<String, RunningRegistry> next = new HashMap<>();
        List<ServiceRegistry> started = new ArrayList<>();
        try {
            for (ObjectSpec spec : specs) {
                if (next.containsKey(spec.name())) {
                    // Two kinds of one name (a store from before they shared a namespace): pools could not tell
                    // them apart, and a client started for the second would be replaced unclosed on every apply.
                    log.warn("ignoring service registry {} ({}): {} ({}) has its name", spec.name(), spec.kind(), spec.name(),
                            next.get(spec.name()).spec().kind());
                    continue;
                }
                RunningRegistry old = current.get(spec.name());
                if (old != null && old.spec().equals(spec)) {
                    next.put(spec.name(), old);
                } else {
                    log.info("starting service registry {} ({})", spec.name(), spec.kind());
                    ServiceRegistry client = starter.start(spec);
                    started.add(client);
                    // A changed registry: its pools keep the old client's instances until the new one has listed its own.
                    next.put(spec.name(), new RunningRegistry(spec, old == null ? client : new SucceedingRegistry(client, old.registry())));
                }
            }
        } catch (RuntimeException e) {
            started.forEach(ServiceRegistry::close);
            throw e;
        }
        List<ServiceRegistry> retired = current.values().stream()
                .filter(r -> next.get(r.spec().name()) != r)
                .map(RunningRegistry::registry)
                .toList();
        return new Prepared(Map.copyOf(next), List.copyOf(started), retired);
    }
}
