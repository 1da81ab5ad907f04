package io.edgegate.dataplane.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The last config this node applied, kept in {@code <data-dir>/last-good.json} so a node that
 * restarts while no control plane answers can serve what it served before. Written to a
 * temporary file and renamed over the old one, so a crash mid-write leaves the previous copy
 * intact. It is not fsynced: it sits on the path to every ACK, and after a power loss the
 * control plane, not this file, is the source of truth.
 */
public final class LastGoodConfig {

    static final String FILE = "last-good.json";

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();

    public LastGoodConfig(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /** A saved config: its store epoch and revision, and its objects. */
    public record Saved(String epoch, long revision, List<StoredObject> objects, String savedAt) {
    }

    public Path file() {
        return file;
    }

    public void save(String epoch, long revision, Collection<StoredObject> objects) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("epoch", epoch);
        root.put("revision", revision);
        root.put("savedAt", Instant.now().toString());
        ArrayNode list = root.putArray("objects");
        for (StoredObject o : objects) {
            list.addObject()
                    .put("kind", o.getKey().getKind())
                    .put("name", o.getKey().getName())
                    .put("revision", o.getRevision())
                    .put("json", o.getJson());
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(FILE + ".tmp");
        // The config holds private keys and secrets: readable by this node's user only, from the first byte.
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(temp, json.writeValueAsBytes(root));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public Optional<Saved> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root = json.readTree(file.toFile());
        List<StoredObject> objects = new ArrayList<>();
        for (JsonNode o : root.path("objects")) {
            objects.add(StoredObject.newBuilder()
                    .setKey(ObjectKey.newBuilder().setKind(o.path("kind").asText()).setName(o.path("name").asText()))
                    .setRevision(o.path("revision").asLong())
                    .setJson(o.path("json").asText())
                    .build());
        }
        return Optional.of(new Saved(root.path("epoch").asText(""), root.path("revision").asLong(), objects,
                root.path("savedAt").asText()));
    }
}
