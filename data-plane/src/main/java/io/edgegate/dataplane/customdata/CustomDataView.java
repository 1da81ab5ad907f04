package io.edgegate.dataplane.customdata;

import io.edgegate.spec.customdata.CustomDataSpec;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CustomData objects of the applied config. Filters read it per request, so a change to
 * the data reaches filters that were inherited unchanged; the map is immutable and swapped
 * whole when a config is applied.
 */
public final class CustomDataView {

    private volatile Map<String, CustomDataSpec> byName = Map.of();

    public Optional<CustomDataSpec> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public void replace(Collection<CustomDataSpec> data) {
        byName = data.stream().collect(Collectors.toUnmodifiableMap(CustomDataSpec::name, Function.identity()));
    }
}
