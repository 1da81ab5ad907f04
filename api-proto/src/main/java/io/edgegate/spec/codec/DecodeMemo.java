package io.edgegate.spec.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the last decode of one object made of its parts, by their JSON: a part whose JSON is
 * unchanged is taken from there instead of being decoded again. An HTTPServer of 50,000 routes
 * changed in one route is otherwise decoded whole on every apply (~0.15 s of the control plane's
 * CPU, taken from the traffic on a machine it shares). Only parts decoded without an error or a
 * warning are kept: decoding equal JSON in the same scope gives an equal result and reports nothing.
 */
public final class DecodeMemo {

    /** Decodes everything. */
    public static final DecodeMemo NONE = new DecodeMemo(Map.of(), false);

    /**
     * A part's JSON in the scope it was decoded in (e.g. a path under a given router), with its hash
     * worked out once: a JSON node's hash walks the node, and each kept part is hashed again as it
     * is handed on to the next memo.
     */
    private record Key(String scope, JsonNode json, int hash) {

        static Key of(String scope, JsonNode json) {
            return new Key(scope, json, 31 * scope.hashCode() + json.hashCode());
        }

        Key copy() {
            return new Key(scope, json.deepCopy(), hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && key.scope.equals(scope) && key.json.equals(json);
        }
    }

    /**
     * A decoded part, with its key: a copy of the JSON it came from, since the tree a caller decodes
     * may change afterwards (secrets put back, unknown keys removed), and a changed key is lost.
     */
    private record Kept(Key key, Object value) {
    }

    private final Map<Key, Kept> previous;
    private final boolean records;
    private final Map<Key, Kept> next;

    private DecodeMemo(Map<Key, Kept> previous, boolean records) {
        this.previous = previous;
        this.records = records;
        // Sized for an unchanged object: growing a map of 50,000 parts rehashes it several times.
        this.next = new HashMap<>(previous.size() * 4 / 3 + 16);
    }

    /** A memo for an object decoded for the first time: it records what the decode makes. */
    public static DecodeMemo fresh() {
        return new DecodeMemo(Map.of(), true);
    }

    /**
     * A memo that reuses what this one's decode recorded, and records the next decode's. Call it
     * once this one's decode is over: the map is handed on, not copied (a copy of 50,000 parts
     * hashes every one of them again).
     */
    public DecodeMemo following() {
        return records ? new DecodeMemo(java.util.Collections.unmodifiableMap(next), true) : NONE;
    }

    /** How many parts the decode recorded. */
    public int size() {
        return next.size();
    }

    <T> T decode(String scope, JsonNode json, Class<T> type, DecodeContext context, Supplier<T> decoder) {
        if (!records || json == null || !json.isContainerNode()) {
            return decoder.get();
        }
        Key key = Key.of(scope, json);
        Kept before = previous.get(key);
        // The class compared, not Class.isInstance: that is a call into the JVM for code the JIT's C1 compiled.
        if (before != null && before.value().getClass() == type) {
            next.put(before.key(), before);
            @SuppressWarnings("unchecked")
            T kept = (T) before.value();
            return kept;
        }
        int problems = context.problemCount();
        T decoded = decoder.get();
        if (context.problemCount() == problems) {
            Key copy = key.copy();
            next.put(copy, new Kept(copy, decoded));
        }
        return decoded;
    }
}
