package io.edgegate.dataplane.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Instances grouped by service, immutable. A service whose instances did not change keeps its
 * list object from the previous snapshot, so pools rebuild only when their own service changed.
 */
final class InstanceSnapshot {

    static final InstanceSnapshot EMPTY = new InstanceSnapshot(Map.of());

    private final Map<String, List<ServiceInstance>> byService;

    private InstanceSnapshot(Map<String, List<ServiceInstance>> byService) {
        this.byService = byService;
    }

    List<ServiceInstance> get(String service) {
        return byService.get(service);
    }

    int size() {
        return byService.values().stream().mapToInt(List::size).sum();
    }

    static InstanceSnapshot of(List<ServiceInstance> instances, InstanceSnapshot previous) {
        Map<String, List<ServiceInstance>> grouped = new HashMap<>();
        for (ServiceInstance instance : instances) {
            grouped.computeIfAbsent(instance.serviceName(), k -> new ArrayList<>()).add(instance);
        }
        Map<String, List<ServiceInstance>> out = new HashMap<>();
        grouped.forEach((service, list) -> {
            list.sort(Comparator.comparing(ServiceInstance::instanceId).thenComparing(ServiceInstance::url));
            List<ServiceInstance> frozen = List.copyOf(list);
            List<ServiceInstance> before = previous.byService.get(service);
            out.put(service, frozen.equals(before) ? before : frozen);
        });
        return new InstanceSnapshot(Map.copyOf(out));
    }
}
