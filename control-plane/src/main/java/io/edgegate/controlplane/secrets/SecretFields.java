package io.edgegate.controlplane.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.edgegate.spec.ObjectKind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.stream.Stream;

/**
 * Which fields of an object hold secrets, and their redaction: private keys of an HTTPServer, a
 * Validator's JWT secret, signature keys and introspection credentials, an OIDCAdaptor's client
 * secret, a RequestAdaptor's signing keys, a health check's password, CustomData passwords and
 * the fields a CustomData lists in {@code secretFields}. A redacted value reads {@code <redacted, sha256:…>}: 64 bits of
 * an HMAC-SHA256 under the cluster's redaction key, enough to see that a value changed but no
 * help in testing guesses without that key. Applying a document that still holds the marker of a
 * stored value keeps that value, so {@code get -o yaml | edit | apply} works without ever
 * printing the secret. Without a key (it could not be read yet) values read {@code <redacted>},
 * which an apply refuses rather than storing.
 */
public final class SecretFields {

    private static final Pattern MARKER = Pattern.compile("<redacted(, sha256:[0-9a-f]{16})?>");
    private static final String KEYLESS = "<redacted>";
    private static final List<List<String>> SERVER = List.of(List.of("keyBase64"), List.of("keys", "*"));
    private static final List<List<String>> PIPELINE = List.of(
            List.of("filters", "*", "jwt", "secret"),
            List.of("filters", "*", "signature", "accessKeys", "*"),
            List.of("filters", "*", "signature", "accessKeySecret"),
            List.of("filters", "*", "oauth2", "jwt", "secret"),
            List.of("filters", "*", "oauth2", "tokenIntrospect", "clientSecret"),
            List.of("filters", "*", "oauth2", "tokenIntrospect", "basicAuth"),
            List.of("filters", "*", "clientSecret"),
            List.of("filters", "*", "sign", "accessKeySecret"),
            List.of("filters", "*", "sign", "accessKeys", "*"),
            // A pool's health check, wherever the pool sits (pools, mainPool, candidatePools, mirrorPool) and in its loadBalance.
            List.of("filters", "*", "**", "healthCheck", "password"),
            List.of("filters", "*", "**", "healthCheck", "http", "password"),
            // A probe's credentials given as a header instead, however its name is written.
            List.of("filters", "*", "**", "healthCheck", "headers", "~authorization"),
            List.of("filters", "*", "**", "healthCheck", "http", "headers", "~authorization"),
            List.of("filters", "*", "**", "healthCheck", "ws", "headers", "~authorization"),
            List.of("filters", "*", "**", "healthCheck", "headers", "~proxy-authorization"),
            List.of("filters", "*", "**", "healthCheck", "http", "headers", "~proxy-authorization"),
            List.of("filters", "*", "**", "healthCheck", "ws", "headers", "~proxy-authorization"));
    /** A GlobalFilter's two pipelines hold the same secrets as any pipeline. */
    private static final List<List<String>> GLOBAL_FILTER = PIPELINE.stream()
            .flatMap(path -> Stream.of("beforePipeline", "afterPipeline").map(p -> {
                List<String> nested = new ArrayList<>(List.of(p));
                nested.addAll(path);
                return List.copyOf(nested);
            })).toList();
    private static final Map<ObjectKind, List<List<String>>> FIXED = Map.of(
            ObjectKind.HTTP_SERVER, SERVER, ObjectKind.HTTP_PIPELINE, PIPELINE, ObjectKind.PIPELINE, PIPELINE,
            ObjectKind.GLOBAL_FILTER, GLOBAL_FILTER);

    private final Optional<SecretKeySpec> key;

    private SecretFields(Optional<SecretKeySpec> key) {
        this.key = key;
    }

    /** Markers under the cluster's redaction key. */
    public static SecretFields withKey(byte[] key) {
        return new SecretFields(Optional.of(new SecretKeySpec(key, "HmacSHA256")));
    }

    /** Before the key is known: every secret reads {@code <redacted>}, and none can be restored. */
    public static SecretFields keyless() {
        return new SecretFields(Optional.empty());
    }

    /** A copy of {@code document} with every secret replaced by its marker. */
    public ObjectNode redact(ObjectKind kind, ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        visit(kind, copy, (holder, value) -> holder.set(TextNode.valueOf(marker(value.asText()))));
        return copy;
    }

    /** Whether any secret of {@code document} is a redaction marker (only then does an apply need the stored object). */
    public static boolean holdsMarkers(ObjectKind kind, ObjectNode document) {
        boolean[] found = {false};
        visit(kind, document, (holder, value) -> found[0] |= MARKER.matcher(value.asText()).matches());
        return found[0];
    }

    /**
     * Puts the stored secret back wherever {@code document} holds the marker of one of the stored
     * object's secrets in the same kind of field (wherever it now sits: records and filters may have
     * been reordered). A marker moved to another kind of field (a JWT key into an introspection
     * {@code clientSecret}), or a sent secret whose {@code endPoint} changed, is not restored: a
     * writer who may not read secrets could otherwise have one sent where they can read it. Such a
     * marker, like one that matches nothing, is an error: the fields' paths are returned.
     */
    public List<String> restore(ObjectKind kind, ObjectNode document, Optional<ObjectNode> stored) {
        Map<String, JsonNode> originals = new HashMap<>();
        if (key.isPresent()) {
            stored.ifPresent(s -> visit(kind, s, (holder, value) -> originals.put(holder.slot() + '\n' + marker(value.asText()), value)));
        }
        List<String> unmatched = new ArrayList<>();
        visit(kind, document, (holder, value) -> {
            if (!MARKER.matcher(value.asText()).matches()) {
                return;
            }
            JsonNode original = originals.get(holder.slot() + '\n' + value.asText());
            if (original != null) {
                holder.set(original.deepCopy());
            } else {
                unmatched.add(String.join(".", holder.path()));
            }
        });
        return unmatched;
    }

    String marker(String secret) {
        if (key.isEmpty()) {
            return KEYLESS;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.get());
            byte[] hash = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return "<redacted, sha256:" + HexFormat.of().formatHex(hash, 0, 8) + ">";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<String>> paths(ObjectKind kind, ObjectNode document) {
        if (kind != ObjectKind.CUSTOM_DATA) {
            return FIXED.getOrDefault(kind, List.of());
        }
        List<List<String>> paths = new ArrayList<>();
        paths.add(List.of("records", "*", "password"));
        JsonNode listed = document.path("secretFields");
        if (listed.isArray()) {
            listed.forEach(field -> paths.add(List.of("records", "*", field.asText())));
        }
        return paths;
    }

    /** A place that holds a secret: can be read and replaced. */
    interface Holder {
        List<String> path();

        /** The kind of field it is (its pattern), and for a secret sent somewhere, where it is sent. */
        String slot();

        void set(JsonNode value);
    }

    /**
     * Where a node sends the secret of {@code pattern}, held by {@code parent} under {@code ancestors}: token
     * introspection's endPoint, an OIDC provider, a health-checked pool's servers; null for a secret that is never
     * sent (keys that sign or verify). A marker stays bound to that place.
     */
    private static String destination(List<String> pattern, List<JsonNode> ancestors, ObjectNode parent) {
        if (pattern.contains("tokenIntrospect")) {
            return parent.path("endPoint").asText();
        }
        if (pattern.contains("healthCheck")) {
            for (int i = ancestors.size() - 1; i >= 0; i--) {
                JsonNode pool = ancestors.get(i);
                if (pool.has("servers") || pool.has("serviceName")) {
                    List<String> places = new ArrayList<>();
                    pool.path("servers").forEach(server -> places.add(server.path("url").asText()));
                    places.add(pool.path("serviceRegistry").asText() + "/" + pool.path("serviceName").asText());
                    return String.join(" ", places);
                }
            }
            return "";
        }
        if (pattern.get(pattern.size() - 1).equals("clientSecret")) {
            return parent.path("discovery").asText() + " " + parent.path("tokenEndpoint").asText();
        }
        return null;
    }

    private static void visit(ObjectKind kind, ObjectNode document, BiConsumer<Holder, JsonNode> action) {
        for (List<String> pattern : paths(kind, document)) {
            walk(document, pattern, 0, new ArrayList<>(), List.of(), action);
        }
    }

    /** {@code **} in a pattern stands for any number of steps (none too), {@code ~name} for a name matched without case. */
    private static void walk(JsonNode node, List<String> pattern, int depth, List<String> path, List<JsonNode> ancestors,
                             BiConsumer<Holder, JsonNode> action) {
        String step = pattern.get(depth);
        if (step.equals("**")) {
            walk(node, pattern, depth + 1, path, ancestors, action);
            List<JsonNode> here = append(ancestors, node);
            if (node instanceof ObjectNode object) {
                object.fields().forEachRemaining(f -> walk(f.getValue(), pattern, depth, append(path, f.getKey()), here, action));
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    walk(array.get(i), pattern, depth, append(path, String.valueOf(i)), here, action);
                }
            }
            return;
        }
        boolean last = depth == pattern.size() - 1;
        List<JsonNode> below = append(ancestors, node);
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            if (step.equals("*")) {
                object.fieldNames().forEachRemaining(names::add);
            } else if (step.startsWith("~")) {
                // A name matched without case (an HTTP header's).
                object.fieldNames().forEachRemaining(n -> {
                    if (n.equalsIgnoreCase(step.substring(1))) {
                        names.add(n);
                    }
                });
            } else if (object.has(step)) {
                names.add(step);
            }
            for (String name : names) {
                List<String> here = append(path, name);
                JsonNode child = object.get(name);
                if (last) {
                    // Any scalar: a numeric access-key secret or PIN is as secret as a text one.
                    if (child.isValueNode() && !child.isNull()) {
                        String sentTo = destination(pattern, ancestors, object);
                        String slot = String.join(".", pattern) + (sentTo != null ? " to " + sentTo : "");
                        action.accept(new FieldHolder(object, name, here, slot), child);
                    }
                } else {
                    walk(child, pattern, depth + 1, here, below, action);
                }
            }
        } else if (node instanceof ArrayNode array && step.equals("*")) {
            for (int i = 0; i < array.size(); i++) {
                List<String> here = append(path, String.valueOf(i));
                JsonNode child = array.get(i);
                if (last) {
                    if (child.isValueNode() && !child.isNull()) {
                        action.accept(new ElementHolder(array, i, here, String.join(".", pattern)), child);
                    }
                } else {
                    walk(child, pattern, depth + 1, here, below, action);
                }
            }
        }
    }

    private static <T> List<T> append(List<T> path, T step) {
        List<T> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    private record FieldHolder(ObjectNode parent, String name, List<String> path, String slot) implements Holder {
        @Override
        public void set(JsonNode value) {
            parent.set(name, value);
        }
    }

    private record ElementHolder(ArrayNode parent, int index, List<String> path, String slot) implements Holder {
        @Override
        public void set(JsonNode value) {
            parent.set(index, value);
        }
    }
}
