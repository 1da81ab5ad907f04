package io.edgegate.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.codec.SpecProblem;
import java.util.List;

/**
 * A validated object: its spec, the document as it will be stored (unknown keys removed
 * in warn mode), and the warnings found.
 */
public record DecodedObject(ObjectSpec spec, ObjectNode document, List<SpecProblem> warnings) {

    public DecodedObject {
        warnings = List.copyOf(warnings);
    }

    public ObjectId id() {
        return spec.id();
    }
}
