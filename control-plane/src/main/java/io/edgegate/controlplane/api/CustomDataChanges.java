package io.edgegate.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.customdata.CustomDataKindSpec;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.edgegate.spec.DecodedObject;

/**
 * What a CustomData document stores, given the CustomDataKind of the same name: its records as
 * given, or — for Easegress's batch form — the stored records with the {@code delete}d ids
 * removed (all of them with {@code rebuild}) and the {@code list}ed ones put in by id. Records
 * must meet the kind's schema; Easegress checks a batch's listed records, and so does this (a
 * whole set of records is checked whole). Nothing is stored if one fails.
 */
final class CustomDataChanges {

    private final DocumentParser parser;
    private final ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());

    CustomDataChanges(DocumentParser parser) {
        this.parser = parser;
    }

    /** The kind stored under {@code record}, for a CustomData of its name. */
    CustomDataKindSpec kindOf(StoredRecord record) {
        return (CustomDataKindSpec) decodeStored(record).spec();
    }

    /** The document to store for {@code document}, a CustomData applied as {@code label} says. */
    ObjectNode resolve(String label, CustomDataSpec data, ObjectNode document, Optional<CustomDataKindSpec> kind,
                       Optional<StoredRecord> existing) {
        if (data.batch().isEmpty()) {
            // The records form replaces the stored object whole: one that no longer reads is no reason to refuse it.
            Secrets secrets = Secrets.of(data, existing.flatMap(this::storedTree));
            kind.ifPresent(k -> check(label, "records", data.records(), k, secrets));
            return document;
        }
        Optional<CustomDataSpec> stored = existing.map(e -> (CustomDataSpec) decodeStored(e).spec());
        Secrets secrets = Secrets.of(data, existing.flatMap(this::storedTree));
        CustomDataSpec.Batch batch = data.batch().get();
        CustomDataKindSpec k = kind.orElseThrow(() -> new ApiException(Status.Code.FAILED_PRECONDITION, label
                + ": CustomData " + data.name() + " is Easegress's batch form (list, delete, rebuild), which needs the "
                + "CustomDataKind " + data.name() + " (its idField names each record): apply that first"));
        check(label, "list", batch.list(), k, secrets);
        Map<String, Map<String, String>> byId = new LinkedHashMap<>();
        List<String> secretFields = data.secretFields();
        if (stored.isPresent()) {
            if (!batch.rebuild()) {
                List<Map<String, String>> records = stored.get().records();
                for (int i = 0; i < records.size(); i++) {
                    // A record stored without the id field (written before the kind) keeps its place, under no id.
                    String id = records.get(i).get(k.idField());
                    byId.put(id == null || id.isEmpty() ? "\u0000" + i : id, records.get(i));
                }
            }
            // Without rebuild the stored records come along as they are, secrets included: such a batch may add secret
            // fields, never drop one, or a writer who may not read secrets could have the stored ones shown (a rebuild,
            // or the records form, which carry every value, can make a field public).
            if (!batch.rebuild()) {
                List<String> union = new ArrayList<>(stored.get().secretFields());
                secretFields.stream().filter(f -> !union.contains(f)).forEach(union::add);
                secretFields = union;
            } else if (secretFields.isEmpty()) {
                secretFields = stored.get().secretFields(); // a rebuild carries no stored record, and says nothing of the fields
            }
        }
        batch.delete().forEach(byId::remove);
        batch.list().forEach(r -> byId.put(r.get(k.idField()), r));
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        document.fields().forEachRemaining(field -> {
            if (!List.of("list", "delete", "rebuild", "records", "secretFields").contains(field.getKey())) {
                merged.set(field.getKey(), field.getValue());
            }
        });
        ArrayNode records = merged.putArray("records");
        byId.values().forEach(r -> {
            ObjectNode record = records.addObject();
            r.forEach(record::put);
        });
        if (!secretFields.isEmpty()) {
            ArrayNode fields = merged.putArray("secretFields");
            secretFields.forEach(fields::add);
        }
        return merged;
    }

    /**
     * The secret fields of a CustomData being written ({@code password} and its own and the stored object's
     * {@code secretFields}) and the values the stored object holds in its secret fields.
     */
    private record Secrets(Set<String> fields, Set<String> storedValues) {

        /** Read from the stored object as JSON, so one that no longer decodes still has its secrets known. */
        static Secrets of(CustomDataSpec data, Optional<ObjectNode> stored) {
            Set<String> fields = new HashSet<>(data.secretFields());
            fields.add("password");
            Set<String> values = new HashSet<>();
            stored.ifPresent(s -> {
                Set<String> storedFields = new HashSet<>();
                storedFields.add("password");
                s.path("secretFields").forEach(f -> storedFields.add(f.asText()));
                fields.addAll(storedFields);
                s.path("records").forEach(r -> storedFields.forEach(f -> {
                    JsonNode value = r.get(f);
                    if (value != null && value.isValueNode() && !value.isNull()) {
                        values.add(value.asText());
                    }
                }));
            });
            return new Secrets(Set.copyOf(fields), Set.copyOf(values));
        }

        /** The secret fields of {@code record} that hold a stored secret: put back from its marker, or written as it was. */
        Set<String> storedIn(Map<String, String> record) {
            return fields.stream().filter(f -> record.get(f) != null && storedValues.contains(record.get(f))).collect(Collectors.toSet());
        }
    }

    /**
     * Records against the kind's schema. A secret field holding a stored secret (put back in place of its marker) is
     * not checked: it met the schema it was written under, and checking it against one the writer sends (who may not
     * read it) would answer guesses about its content (a pattern, a length). Only whether it equals a stored secret
     * can be learnt, which its marker tells anyway. No message repeats a secret field's value.
     */
    private static void check(String label, String field, List<Map<String, String>> records, CustomDataKindSpec kind,
                              Secrets secrets) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Map<String, String> record = records.get(i);
            String id = record.get(kind.idField());
            if (id == null || id.isEmpty()) {
                problems.add(label + ": " + field + "[" + i + "]: has no '" + kind.idField() + "', the id field of CustomDataKind "
                        + kind.name());
            }
            int at = i;
            kind.schema().ifPresent(schema -> schema.problems(record, secrets.fields(), secrets.storedIn(record)).forEach(p ->
                    problems.add(label + ": " + field + "[" + at + "]: " + p + " (jsonSchema of CustomDataKind " + kind.name() + ")")));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, String.join("\n", problems));
        }
    }

    private Optional<ObjectNode> storedTree(StoredRecord record) {
        try {
            return Optional.of(parser.parseJson(record.json()));
        } catch (SpecException unreadable) {
            return Optional.empty();
        }
    }

    private DecodedObject decodeStored(StoredRecord record) {
        try {
            return decoder.decode(parser.parseJson(record.json()), ValidationMode.WARN);
        } catch (SpecException e) {
            throw new ApiException(Status.Code.INTERNAL, record.id() + " as stored cannot be read: " + e.getMessage());
        }
    }
}
