package io.edgegate.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Values as etcd keeps them: small ones readable as they are, large ones gzip'd, every one read back exactly. */
class StoredValuesTest {

    private static String largeServer(int paths) {
        StringBuilder json = new StringBuilder("{\"kind\":\"HTTPServer\",\"name\":\"großer-server\",\"rules\":[{\"paths\":[");
        for (int i = 0; i < paths; i++) {
            json.append(i == 0 ? "" : ",").append("{\"path\":\"/route-").append(i).append("\",\"backend\":\"p").append(i % 100).append("\"}");
        }
        return json.append("]}]}").toString();
    }

    @Test
    void aSmallValueIsKeptAsItsJson() {
        String json = "{\"kind\":\"HTTPPipeline\",\"name\":\"p\"}";

        ByteSequence stored = StoredValues.encode(json);

        assertThat(stored.toString(StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(StoredValues.decode(stored)).isEqualTo(json);
    }

    @Test
    void aLargeValueIsKeptGzippedAndReadBackExactly() {
        String json = largeServer(50_000);

        ByteSequence stored = StoredValues.encode(json);

        byte[] bytes = stored.getBytes();
        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0x1f, 0x8b);
        assertThat(bytes.length).isLessThan(json.length() / 5);
        assertThat(StoredValues.decode(stored)).isEqualTo(json);
    }

    @Test
    void aLargeValueWrittenAsPlainJsonIsReadAsItIs() {
        // Written before values were compressed, or by hand with etcdctl.
        String json = largeServer(10_000);

        assertThat(StoredValues.decode(ByteSequence.from(json, StandardCharsets.UTF_8))).isEqualTo(json);
    }

    @Test
    void aValueThatInflatesPastAnythingEdgeGateWritesIsRefusedNotLoaded() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i <= StoredValues.MAX_INFLATED_BYTES / zeros.length; i++) {
                gzip.write(zeros);
            }
        }

        assertThatThrownBy(() -> StoredValues.decode(ByteSequence.from(bomb.toByteArray())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not written by EdgeGate");
    }

    @Test
    void aValueThatStartsAsGzipButIsDamagedIsRefusedByName() {
        byte[] damaged = Arrays.copyOf(StoredValues.encode(largeServer(5_000)).getBytes(), 200);

        assertThatThrownBy(() -> StoredValues.decode(ByteSequence.from(damaged)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not inflate");
    }
}
