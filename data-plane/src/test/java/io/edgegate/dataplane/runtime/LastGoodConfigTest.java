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
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("last-good.json");
        }
    }
}
