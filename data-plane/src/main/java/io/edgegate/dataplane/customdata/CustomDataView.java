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

    /** Easegress's id field of a CustomData whose CustomDataKind names none (or is not in the config). */
    public static final String DEFAULT_ID_FIELD = "name";

    private final Supplier<Map<String, CustomDataSpec>> byName;
    private final Supplier<Map<String, String>> idFields;

    /** {@code idFields}: the idField of each CustomDataKind of the running config. */
    public CustomDataView(Supplier<Map<String, CustomDataSpec>> byName, Supplier<Map<String, String>> idFields) {
        this.byName = byName;
        this.idFields = idFields;
    }

    /** The field that names each record of {@code name}'s data, as its CustomDataKind says. */
    public String idField(String name) {
        return idFields.get().getOrDefault(name, DEFAULT_ID_FIELD);
    }

    public Optional<CustomDataSpec> get(String name) {
        return Optional.ofNullable(byName.get().get(name));
    }
}
