package io.edgegate.controlplane.store;

import static java.util.Objects.requireNonNull;

import io.edgegate.spec.ObjectId;

/**
 * One operation of a transactional write, each guarded by the revision it was planned
 * against, so a concurrent writer makes the whole transaction fail instead of being lost.
 */
public sealed interface StoreWrite {

    ObjectId id();

    /** Write {@code json}; {@code expectedModRevision} 0 means the object must not exist yet. */
    record Put(ObjectId id, String json, long expectedModRevision) implements StoreWrite {
        public Put {
            requireNonNull(id, "id");
            requireNonNull(json, "json");
        }
    }

    record Delete(ObjectId id, long expectedModRevision) implements StoreWrite {
        public Delete {
            requireNonNull(id, "id");
        }
    }

    /** Write nothing, but only succeed while the object does not exist. */
    record Absent(ObjectId id) implements StoreWrite {
        public Absent {
            requireNonNull(id, "id");
        }
    }
}
