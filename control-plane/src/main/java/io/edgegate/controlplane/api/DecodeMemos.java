package io.edgegate.controlplane.api;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.codec.DecodeMemo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decode memos of the large objects last validated here: a one-route change to an HTTPServer
 * of 50,000 routes then decodes the changed route, not every route. Small objects decode in well
 * under a millisecond and keep none. A memo holds a copy of each path's JSON and its spec, ~30 MB
 * for 50,000 paths, so only the four objects applied last keep theirs.
 */
final class DecodeMemos {

    /** Parts below which a decode is cheap enough not to hold a memo in memory. */
    static final int MIN_PARTS = 1_000;
    private static final int MAX_OBJECTS = 4;

    private final Map<ObjectId, DecodeMemo> memos = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectId, DecodeMemo> eldest) {
            return size() > MAX_OBJECTS;
        }
    };

    /** The memo to decode {@code id} with: what its last decode here recorded, if anything. */
    synchronized DecodeMemo next(ObjectId id) {
        DecodeMemo last = memos.get(id);
        return last == null ? DecodeMemo.fresh() : last.following();
    }

    /** Keeps what a decode of {@code id} recorded in {@code used}, when it is worth keeping. */
    synchronized void keep(ObjectId id, DecodeMemo used) {
        if (used.size() >= MIN_PARTS) {
            memos.put(id, used);
        } else {
            memos.remove(id);
        }
    }
}
