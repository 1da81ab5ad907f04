package io.edgegate.spec;

import static java.util.Objects.requireNonNull;

/** Objects are identified by kind and name. */
public record ObjectId(ObjectKind kind, String name) implements Comparable<ObjectId> {

    public ObjectId {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ObjectId other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return kind.kindName() + "/" + name;
    }
}
