package io.edgegate.spec.customdata;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import java.util.List;
import java.util.Map;

/**
 * A named set of records that filters read at run time, like Easegress's custom data kinds.
 * Changing it takes effect on every node without re-applying the pipelines that use it; the
 * Validator's {@code basicAuth} in mode {@code ETCD} reads its users from one. Records are flat
 * mappings of scalar fields. {@code password} and the fields listed in {@code secretFields} are
 * secrets: egctl shows them redacted.
 *
 * <pre>
 * kind: CustomData
 * name: credentials
 * records:
 * - username: alice
 *   password: $2y$10$...
 * </pre>
 */
public record CustomDataSpec(String name, List<Map<String, String>> records, List<String> secretFields) implements ObjectSpec {

    public CustomDataSpec {
        records = List.copyOf(records);
        secretFields = List.copyOf(secretFields);
    }

    public static CustomDataSpec decode(String name, SpecObject o) {
        List<Map<String, String>> records = o.list("records", CustomDataSpec::record);
        return new CustomDataSpec(name, records, o.stringList("secretFields"));
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
