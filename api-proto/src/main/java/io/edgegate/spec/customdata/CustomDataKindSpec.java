package io.edgegate.spec.customdata;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecObject;
import java.util.Optional;

/**
 * Easegress's {@code CustomDataKind}: the field that names each record of the CustomData of the
 * same name ({@code idField}, default {@code name}) and, optionally, a {@code jsonSchema} every
 * record applied to it must meet. With a kind, that CustomData can also be changed in Easegress's
 * batch form ({@code rebuild}, {@code delete}, {@code list}).
 *
 * <pre>
 * kind: CustomDataKind
 * name: kind1
 * idField: name
 * jsonSchema: {type: object, properties: {name: {type: string}}, required: [name]}
 * </pre>
 */
public record CustomDataKindSpec(String name, String idField, Optional<RecordSchema> schema) implements ObjectSpec {

    public static CustomDataKindSpec decode(String name, SpecObject o) {
        String idField = o.string("idField", "name");
        if (idField.isEmpty()) {
            idField = "name";
        }
        Optional<RecordSchema> schema = o.object("jsonSchema").map(RecordSchema::decode);
        return new CustomDataKindSpec(name, idField, schema);
    }

    @Override
    public ObjectKind kind() {
        return ObjectKind.CUSTOM_DATA_KIND;
    }
}
