package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.StoredObject;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The specs the running config was decoded into, each with the JSON it came from: an apply
 * decodes only the objects whose JSON changed. Decoding is most of an apply's cost for large
 * objects (an HTTPServer of 50,000 routes takes ~100 ms), and most applies change one small
 * object next to them; a changed HTTPServer has only its changed rules decoded again
 * ({@link ServerRedecoder}). Used under the updater's lock.
 */
final class SpecCache {

    /** Decodes one object's JSON. */
    interface Decoder {
        ObjectSpec decode(String json) throws SpecException;
    }

    /** An object's JSON and spec; for an HTTPServer also where its rules and paths lie in the JSON. */
    private record Decoded(String json, ObjectSpec spec, ServerLayout layout) {
    }

    private final ServerRedecoder servers = new ServerRedecoder();
    private Map<String, Decoded> running = Map.of();

    /** One config's decoding: reuses the running config's specs; {@link #commit} makes its specs the running ones. */
    final class Round {
        private final Map<String, Decoded> decoded = new HashMap<>();

        ObjectSpec spec(StoredObject object, Decoder decoder) throws SpecException {
            String key = object.getKey().getKind() + "/" + object.getKey().getName();
            String json = object.getJson();
            Decoded before = running.get(key);
            // Equal JSON decodes to an equal spec: the comparison is a fraction of a decode, even for megabytes.
            if (before != null && before.json().equals(json)) {
                decoded.put(key, before);
                return before.spec();
            }
            if (before != null && before.spec() instanceof HttpServerSpec server) {
                Optional<ServerRedecoder.Redecoded> redecoded = servers.redecode(before.json(), before.layout(), server, json);
                if (redecoded.isPresent()) {
                    decoded.put(key, new Decoded(json, redecoded.get().spec(), redecoded.get().layout()));
                    return redecoded.get().spec();
                }
            }
            ObjectSpec spec = decoder.decode(json);
            decoded.put(key, new Decoded(json, spec, spec instanceof HttpServerSpec ? servers.layout(json) : ServerLayout.NONE));
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
