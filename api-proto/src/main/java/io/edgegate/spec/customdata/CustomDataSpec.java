package io.edgegate.spec.customdata;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named set of records that filters read at run time, like Easegress's custom data kinds.
 * Changing it takes effect on every node without re-applying the pipelines that use it; the
 * Validator's {@code basicAuth} in mode {@code ETCD} reads its users from one. Records are flat
 * mappings of scalar fields. {@code password} and the fields listed in {@code secretFields} are
 * secrets: egctl shows them redacted.
 *
 * <p>Easegress's batch form changes the records instead of listing them all: {@code list}
 * (records added or replaced, by the id field of the CustomDataKind of the same name),
 * {@code delete} (ids removed) and {@code rebuild} (start from no records). The control plane
 * applies it to the stored records and stores the result in the form above.
 *
 * <pre>
 * kind: CustomData
 * name: credentials
 * records:
 * - username: alice
 *   password: $2y$10$...
 * </pre>
 */
public record CustomDataSpec(String name, List<Map<String, String>> records, List<String> secretFields, Optional<Batch> batch)
        implements ObjectSpec {

    /** Easegress's batch change: records replaced or added ({@code list}) after the {@code delete}d ids are removed. */
    public record Batch(boolean rebuild, List<String> delete, List<Map<String, String>> list) {
        public Batch {
            delete = List.copyOf(delete);
            list = List.copyOf(list);
        }
    }

    public CustomDataSpec {
        records = List.copyOf(records);
        secretFields = List.copyOf(secretFields);
    }

    public CustomDataSpec(String name, List<Map<String, String>> records, List<String> secretFields) {
        this(name, records, secretFields, Optional.empty());
    }

    public static CustomDataSpec decode(String name, SpecObject o) {
        List<Map<String, String>> records = o.list("records", CustomDataSpec::record);
        Optional<Batch> batch = Optional.empty();
        if (o.has("list") || o.has("delete") || o.has("rebuild")) {
            batch = Optional.of(new Batch(o.bool("rebuild", false), o.stringList("delete"), o.list("list", CustomDataSpec::record)));
            if (o.has("records")) {
                o.error("records", "give the records (records) or a change to them (list, delete, rebuild), not both");
            }
        }
        return new CustomDataSpec(name, records, o.stringList("secretFields"), batch);
    }

    private static Map<String, String> record(SpecNode node) {
        SpecObject record = node.asObject();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String key : record.keys()) {
            fields.put(key, record.field(key).asString());
        }
        record.finish();
        return Map.copyOf(fields);
    }

    @Override
    public ObjectKind kind() {
        return ObjectKind.CUSTOM_DATA;
    }
}
