package io.edgegate.controlplane.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd writes its log through a descriptor opened for appending; rotation must not cut it off. */
class LogRotationTest {

    @Test
    void aFullLogMovesAsideAndTheWriterGoesOnInTheEmptiedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("etcd.log");
        LogRotation rotation = new LogRotation(file, 100);
        try (FileOutputStream writer = new FileOutputStream(file.toFile(), true)) {
            writer.write("old line\n".repeat(10).getBytes(UTF_8));
            assertThat(rotation.rotateIfFull()).as("90 bytes, under the limit").isFalse();
            assertThat(Files.exists(dir.resolve("etcd.log.1"))).isFalse();

            writer.write("old line\n".repeat(2).getBytes(UTF_8));
            assertThat(rotation.rotateIfFull()).isTrue();
            writer.write("new line\n".getBytes(UTF_8));
        }

        assertThat(Files.readString(dir.resolve("etcd.log.1"))).isEqualTo("old line\n".repeat(12));
        assertThat(Files.readString(file)).as("no hole of zeros where the old content was").isEqualTo("new line\n");
    }

    @Test
    void aSecondRotationReplacesTheFirstsCopy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("etcd.log");
        LogRotation rotation = new LogRotation(file, 10);
        Files.writeString(file, "first generation\n");
        assertThat(rotation.rotateIfFull()).isTrue();
        Files.writeString(file, "second generation\n");
        assertThat(rotation.rotateIfFull()).isTrue();

        assertThat(Files.readString(dir.resolve("etcd.log.1"))).isEqualTo("second generation\n");
        assertThat(Files.size(file)).isZero();
        assertThat(new LogRotation(dir.resolve("absent.log"), 10).rotateIfFull()).isFalse();
    }
}
