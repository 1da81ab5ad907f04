package io.edgegate.dataplane.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The last config this node applied, kept in {@code <data-dir>} so a node that restarts while
 * no control plane answers can serve what it served before. {@code last-good.json} names the
 * store epoch, the revision and the objects; each object's JSON is a file of its own in
 * {@code last-good/}, written once when the object changes. A change of one route in a server
 * of megabytes then writes that server and a short list; a change next to it writes a few
 * hundred bytes. An object's file has a name no earlier save used; the list, written last to a
 * temporary name and renamed, is what makes it part of a config, so a crash mid-write leaves the
 * previous config whole. Nothing is fsynced: the save sits on the path to
 * every ACK, and after a power loss the control plane, not these files, is the source of truth.
 */
public final class LastGoodConfig {

    static final String FILE = "last-good.json";
    static final String OBJECTS = "last-good";
    private static final int WRITE_SLICE = 64 * 1024;
    private static final Pattern OBJECT_FILE = Pattern.compile("[0-9]+\\.json");

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path file;
    private final Path objectsDir;
    private final ObjectMapper json = new ObjectMapper();
    /** The file each object of the last save (this very instance) is in: unchanged objects are not written again. */
    private Map<StoredObject, ObjectFile> written = new IdentityHashMap<>();
    /** The number in the next object file's name; above every file there when the first save looks. */
    private long nextFile;
    /** Whether the folder was looked at and cleared of files no save names (once, and again after a failed save). */
    private boolean swept;

    public LastGoodConfig(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        this.objectsDir = dataDir.resolve(OBJECTS);
    }

    /** An object's file, and its entry in the list (the same text in every save while the object is unchanged). */
    private record ObjectFile(String file, String listed) {
    }

    /** A saved config: its store epoch and revision, and its objects. */
    public record Saved(String epoch, long revision, List<StoredObject> objects, String savedAt) {
    }

    public Path file() {
        return file;
    }

    public synchronized void save(String epoch, long revision, Collection<StoredObject> objects) throws IOException {
        try {
            saveObjects(epoch, revision, objects);
        } catch (IOException e) {
            // The folder is only looked at when a save starts afresh: once more, making it again if it went
            // (removed by hand, a data disk swapped), and clearing what the failure left.
            swept = false;
            saveObjects(epoch, revision, objects);
        }
    }

    private void saveObjects(String epoch, long revision, Collection<StoredObject> objects) throws IOException {
        if (!swept) {
            Files.createDirectories(file.getParent());
            if (!Files.isDirectory(objectsDir)) {
                Files.createDirectory(objectsDir, OWNER_ONLY_DIR);
            }
            nextFile = Math.max(nextFile, highestObjectFile() + 1);
        }
        Map<StoredObject, ObjectFile> files = new IdentityHashMap<>();
        StringBuilder list = new StringBuilder("{\"epoch\":").append(quoted(epoch)).append(",\"revision\":").append(revision)
                .append(",\"savedAt\":").append(quoted(Instant.now().toString())).append(",\"objects\":[");
        for (StoredObject o : objects) {
            ObjectFile entry = written.get(o);
            if (entry == null) {
                String name = (nextFile++) + ".json";
                writeObjectFile(objectsDir.resolve(name), o.getJson().getBytes(StandardCharsets.UTF_8));
                entry = new ObjectFile(name, "{\"kind\":" + quoted(o.getKey().getKind()) + ",\"name\":" + quoted(o.getKey().getName())
                        + ",\"revision\":" + o.getRevision() + ",\"file\":" + quoted(name) + "}");
            }
            list.append(files.isEmpty() ? "" : ",").append(entry.listed());
            files.put(o, entry);
        }
        writeAtomically(file, list.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        if (swept) {
            // Only the files of the save before can have fallen out of use: no need to list the folder.
            for (Map.Entry<StoredObject, ObjectFile> before : written.entrySet()) {
                if (!files.containsKey(before.getKey())) {
                    Files.deleteIfExists(objectsDir.resolve(before.getValue().file()));
                }
            }
        } else {
            Set<String> kept = new HashSet<>();
            files.values().forEach(e -> kept.add(e.file()));
            removeFilesOtherThan(kept);
            swept = true;
        }
        written = files;
    }

    /**
     * An object's file: its name is new (above every file in the folder), so it is written where it
     * stays, without a temporary file and a rename. Until the list naming it is in place nothing
     * reads it; one cut off by a crash is named by no list and goes at the next start's first save.
     */
    private static void writeObjectFile(Path target, byte[] bytes) throws IOException {
        try {
            writeNew(target, bytes);
        } catch (FileAlreadyExistsException leftOver) {
            Files.delete(target);
            writeNew(target, bytes);
        }
    }

    /**
     * Writes {@code bytes} to a new temporary file readable by this node's user only (the config
     * holds secrets) and renames it: one file opened once, where creating it and then writing it
     * opened it twice, on the path to every ACK.
     */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            writeNew(temp, bytes);
        } catch (FileAlreadyExistsException leftOver) {
            // Left by a save that failed midway: replaced, never written through (its permissions are not known).
            Files.delete(temp);
            writeNew(temp, bytes);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeNew(Path path, byte[] bytes) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OWNER_ONLY)) {
            // In slices: the JDK copies a heap buffer through a direct one of its size, and keeps that per thread.
            for (int offset = 0; offset < bytes.length; offset += WRITE_SLICE) {
                ByteBuffer slice = ByteBuffer.wrap(bytes, offset, Math.min(WRITE_SLICE, bytes.length - offset));
                while (slice.hasRemaining()) {
                    channel.write(slice);
                }
            }
        }
    }

    private long highestObjectFile() throws IOException {
        try (var names = Files.list(objectsDir)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> OBJECT_FILE.matcher(n).matches())
                    .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - ".json".length()))).max().orElse(0);
        }
    }

    /** Object files of earlier saves, and any a crash left behind. */
    private void removeFilesOtherThan(Set<String> kept) throws IOException {
        try (var paths = Files.list(objectsDir)) {
            for (Path path : paths.filter(p -> !kept.contains(p.getFileName().toString())).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private String quoted(String value) throws IOException {
        return json.writeValueAsString(value);
    }

    /**
     * The saved config. Objects saved by earlier versions are in the list itself, their JSON as
     * a string.
     */
    public synchronized Optional<Saved> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (JsonParser parser = json.getFactory().createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            String epoch = "";
            long revision = 0;
            String savedAt = "";
            List<StoredObject> objects = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "epoch" -> epoch = parser.getValueAsString("");
                    case "revision" -> revision = parser.getValueAsLong();
                    case "savedAt" -> savedAt = parser.getValueAsString("");
                    case "objects" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            objects.add(object(parser, objectsDir));
                        }
                        expect(parser.currentToken(), JsonToken.END_ARRAY);
                    }
                    default -> parser.skipChildren();
                }
            }
            expect(parser.currentToken(), JsonToken.END_OBJECT);
            return Optional.of(new Saved(epoch, revision, objects, savedAt));
        }
    }

    /** One saved object, the parser on its '{': its JSON in a file of {@code objectsDir}, or (as earlier versions saved it) in the list. */
    private static StoredObject object(JsonParser parser, Path objectsDir) throws IOException {
        StoredObject.Builder object = StoredObject.newBuilder();
        ObjectKey.Builder key = ObjectKey.newBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "kind" -> key.setKind(parser.getValueAsString(""));
                case "name" -> key.setName(parser.getValueAsString(""));
                case "revision" -> object.setRevision(parser.getValueAsLong());
                case "file" -> {
                    String name = parser.getValueAsString("");
                    if (!OBJECT_FILE.matcher(name).matches()) {
                        throw new IOException("not a saved config: object file '" + name + "'");
                    }
                    object.setJson(Files.readString(objectsDir.resolve(name)));
                }
                case "json" -> {
                    expect(value, JsonToken.VALUE_STRING);
                    object.setJson(parser.getText());
                }
                default -> parser.skipChildren();
            }
        }
        return object.setKey(key).build();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("not a saved config: expected " + expected + ", found " + actual);
        }
    }
}
