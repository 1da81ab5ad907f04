package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.StoredObject;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecException;
import java.util.HashMap;
import java.util.Map;

/**
 * The specs the running config was decoded into, each with the JSON it came from: an apply
 * decodes only the objects whose JSON changed. Decoding is most of an apply's cost for large
 * objects (an HTTPServer of 50,000 routes takes ~100 ms), and most applies change one small
 * object next to them. Used under the updater's lock.
 */
final class SpecCache {

    /** Decodes one object's JSON. */
    interface Decoder {
        ObjectSpec decode(String json) throws SpecException;
    }

    private record Decoded(String json, ObjectSpec spec) {
    }

    private Map<String, Decoded> running = Map.of();

    /** One config's decoding: reuses the running config's specs; {@link #commit} makes its specs the running ones. */
    final class Round {
        private final Map<String, Decoded> decoded = new HashMap<>();

        ObjectSpec spec(StoredObject object, Decoder decoder) throws SpecException {
            String key = object.getKey().getKind() + "/" + object.getKey().getName();
            String json = object.getJson();
            Decoded before = running.get(key);
            // Equal JSON decodes to an equal spec: the comparison is a fraction of a decode, even for megabytes.
            ObjectSpec spec = before != null && before.json().equals(json) ? before.spec() : decoder.decode(json);
            decoded.put(key, new Decoded(json, spec));
            return spec;
        }
    }

    Round round() {
        return new Round();
    }

    void commit(Round round) {
        running = round.decoded;
    }
}
