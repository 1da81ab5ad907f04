package io.edgegate.dataplane.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.StoredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastGoodConfigTest {

    private static StoredObject object(String name, String json) {
        return StoredObject.newBuilder().setKey(ObjectKey.newBuilder().setKind("Pipeline").setName(name))
                .setRevision(7).setJson(json).build();
    }

    @Test
    void savesAndLoadsTheObjectsWithTheirRevision(@TempDir Path dir) throws Exception {
        LastGoodConfig lastGood = new LastGoodConfig(dir.resolve("node"));
        assertThat(lastGood.load()).isEmpty();

        lastGood.save("e1", 12, List.of(object("a", "{\"name\":\"a\",\"kind\":\"Pipeline\"}")));
        lastGood.save("e2", 13, List.of(object("b", "{\"name\":\"b\",\"quote\":\"\\\"x\\\"\"}")));

        LastGoodConfig.Saved saved = lastGood.load().orElseThrow();
        assertThat(saved.epoch()).as("the store epoch travels with the revision").isEqualTo("e2");
        assertThat(saved.revision()).isEqualTo(13);
        assertThat(saved.objects()).containsExactly(object("b", "{\"name\":\"b\",\"quote\":\"\\\"x\\\"\"}"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(lastGood.file())))
                .as("the saved config holds private keys: its owner's only").isEqualTo("rw-------");
        try (var files = Files.list(dir.resolve("node"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("last-good.json", "last-good");
        }
        try (var files = Files.list(dir.resolve("node").resolve("last-good"))) {
            List<Path> objectFiles = files.toList();
            assertThat(objectFiles).as("the first save's object is gone with it").hasSize(1);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(objectFiles.get(0))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void anUnchangedObjectIsNotWrittenAgainAndARestartedNodeNeverReusesAFileName(@TempDir Path dir) throws Exception {
        LastGoodConfig lastGood = new LastGoodConfig(dir);
        StoredObject big = object("big", "{\"name\":\"big\"}");
        lastGood.save("e", 1, List.of(big, object("small", "{\"v\":1}")));
        Path bigFile = onlyFileHolding(dir, "{\"name\":\"big\"}");
        Files.setLastModifiedTime(bigFile, java.nio.file.attribute.FileTime.fromMillis(0));

        lastGood.save("e", 2, List.of(big, object("small", "{\"v\":2}")));
        assertThat(Files.getLastModifiedTime(bigFile).toMillis()).as("the unchanged object's file").isZero();

        // A restarted node: a new instance over the same folder, whose next objects must not overwrite those the list names.
        LastGoodConfig restarted = new LastGoodConfig(dir);
        assertThat(restarted.load().orElseThrow().objects()).extracting(StoredObject::getJson)
                .containsExactly("{\"name\":\"big\"}", "{\"v\":2}");
        restarted.save("e", 3, List.of(object("small", "{\"v\":3}")));
        assertThat(restarted.load().orElseThrow().objects()).extracting(StoredObject::getJson).containsExactly("{\"v\":3}");
        try (var files = Files.list(dir.resolve("last-good"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void filesOfEarlierSavesGoAndATemporaryFileLeftBehindIsReplacedNotWrittenThrough(@TempDir Path dir) throws Exception {
        LastGoodConfig lastGood = new LastGoodConfig(dir);
        lastGood.save("e", 1, List.of(object("a", "{\"v\":1}"), object("b", "{\"w\":1}")));
        // What a save cut off midway leaves: a temporary list, readable by anyone.
        Path leftOver = dir.resolve(LastGoodConfig.FILE + ".tmp");
        Files.writeString(leftOver, "junk");
        Files.setPosixFilePermissions(leftOver, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        for (int v = 2; v <= 4; v++) {
            lastGood.save("e", v, List.of(object("a", "{\"v\":" + v + "}"), object("b", "{\"w\":1}")));
        }

        assertThat(new LastGoodConfig(dir).load().orElseThrow().objects()).extracting(StoredObject::getJson)
                .containsExactly("{\"v\":4}", "{\"w\":1}");
        try (var files = Files.list(dir.resolve("last-good"))) {
            assertThat(files).as("one file per object of the last save").hasSize(2);
        }
        assertThat(leftOver).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LastGoodConfig.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void anObjectFileCutOffByACrashIsNamedByNoListAndGoesAtTheNextStartsFirstSave(@TempDir Path dir) throws Exception {
        new LastGoodConfig(dir).save("e", 1, List.of(object("a", "{\"v\":1}")));
        // A crash while writing the next object's file, before the list named it.
        Path cutOff = dir.resolve("last-good").resolve("99.json");
        Files.writeString(cutOff, "{\"v\":");

        LastGoodConfig restarted = new LastGoodConfig(dir);
        assertThat(restarted.load().orElseThrow().objects()).extracting(StoredObject::getJson).containsExactly("{\"v\":1}");
        restarted.save("e", 2, List.of(object("a", "{\"v\":2}")));

        assertThat(cutOff).as("a file no list names").doesNotExist();
        assertThat(new LastGoodConfig(dir).load().orElseThrow().objects()).extracting(StoredObject::getJson).containsExactly("{\"v\":2}");
        try (var files = Files.list(dir.resolve("last-good"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).as("a name above the cut-off one").containsExactly("100.json");
        }
    }

    @Test
    void aSaveAfterTheFolderWasRemovedMakesItAgain(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        LastGoodConfig lastGood = new LastGoodConfig(dataDir);
        lastGood.save("e", 1, List.of(object("a", "{\"v\":1}")));
        try (var tree = Files.walk(dataDir)) {
            for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }

        lastGood.save("e", 2, List.of(object("a", "{\"v\":1}"), object("b", "{\"w\":2}")));

        assertThat(new LastGoodConfig(dataDir).load().orElseThrow().objects()).extracting(StoredObject::getJson)
                .containsExactly("{\"v\":1}", "{\"w\":2}");
    }

    @Test
    void aListNamingAFileOutsideItsFolderIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LastGoodConfig.FILE), """
                {"epoch":"e","revision":1,"savedAt":"x","objects":[{"kind":"Pipeline","name":"a","revision":1,"file":"../secret"}]}
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LastGoodConfig(dir).load())
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("../secret");
    }

    private static Path onlyFileHolding(Path dir, String json) throws Exception {
        try (var files = Files.list(dir.resolve("last-good"))) {
            return files.filter(p -> {
                try {
                    return Files.readString(p).equals(json);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
    }

    @Test
    void theObjectsComeBackAsTheVeryTextTheControlPlaneSent(@TempDir Path dir) throws Exception {
        LastGoodConfig lastGood = new LastGoodConfig(dir);
        String unicode = "{\"name\":\"ü\",\"values\":[\"中文\",\"\\u0001\",\"a\\\"b\\\\c\"],\"nested\":{\"deep\":[{},[]]}}";
        StringBuilder big = new StringBuilder("{\"name\":\"big\",\"paths\":[");
        for (int i = 0; i < 20_000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"path\":\"/p").append(i).append("\",\"backend\":\"b\"}");
        }
        big.append("]}");
        List<StoredObject> objects = List.of(object("u", unicode), object("big", big.toString()), object("empty", "{}"));

        lastGood.save("e", 3, objects);

        assertThat(lastGood.load().orElseThrow().objects()).containsExactlyElementsOf(objects);
    }

    @Test
    void aConfigSavedByAnEarlierVersionWithObjectsAsStringsIsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(LastGoodConfig.FILE), """
                {"epoch":"e0","revision":9,"savedAt":"2026-11-01T00:00:00Z","objects":[
                {"kind":"Pipeline","name":"a","revision":7,"json":"{\\"name\\":\\"a\\",\\"kind\\":\\"Pipeline\\"}"}]}
                """);

        LastGoodConfig.Saved saved = new LastGoodConfig(dir).load().orElseThrow();

        assertThat(saved.revision()).isEqualTo(9);
        assertThat(saved.savedAt()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(saved.objects()).containsExactly(object("a", "{\"name\":\"a\",\"kind\":\"Pipeline\"}"));
    }

    @Test
    void aCutOffFileIsAnErrorNotAnEmptyConfig(@TempDir Path dir) throws Exception {
        LastGoodConfig lastGood = new LastGoodConfig(dir);
        lastGood.save("e", 3, List.of(object("a", "{\"name\":\"a\",\"list\":[1,2,3]}")));
        String whole = Files.readString(lastGood.file());
        Files.writeString(lastGood.file(), whole.substring(0, whole.length() - 12));

        org.assertj.core.api.Assertions.assertThatThrownBy(lastGood::load).isInstanceOf(java.io.IOException.class);
    }
}
