package io.edgegate.dataplane.customdata;

import io.edgegate.spec.customdata.CustomDataSpec;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The CustomData objects of the running config. Filters read it per request, so a change to
 * the data reaches filters that were inherited unchanged; it reads the node's one runtime
 * reference, so the data changes together with everything else of a config.
 */
public final class CustomDataView {

    private final Supplier<Map<String, CustomDataSpec>> byName;

    public CustomDataView(Supplier<Map<String, CustomDataSpec>> byName) {
        this.byName = byName;
    }

    public Optional<CustomDataSpec> get(String name) {
        return Optional.ofNullable(byName.get().get(name));
    }
}
