package io.edgegate.spec;

/** The decoded, validated spec of a stored object. Specs are immutable data; runtime state lives elsewhere. */
public interface ObjectSpec {

    String name();

    ObjectKind kind();

    default ObjectId id() {
        return new ObjectId(kind(), name());
    }
}
