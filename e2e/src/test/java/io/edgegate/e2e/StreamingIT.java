package io.edgegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.testkit.StreamingBackend;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gigabyte goes up and down through a data plane held to a 256 MB heap: bodies stream, they are never held. */
class StreamingIT {

    private static final long GIGABYTE = 1L << 30;

    @Test
    void aGigabyteStreamsBothWaysThroughASmallHeap(@TempDir Path dir) throws Exception {
        try (StreamingBackend backend = StreamingBackend.start();
             Cluster cluster = Cluster.start(dir.resolve("cluster"), 1, 1, "-Xmx256m -XX:MaxDirectMemorySize=64m")) {
            int port = io.edgegate.testkit.FreePorts.pick("127.0.0.2");
            String objects = """
                    kind: HTTPServer
                    name: big
                    port: %d
                    clientMaxBodySize: -1
                    rules:
                    - paths:
                      - pathPrefix: /
                        backend: big
                    ---
                    name: big
                    kind: HTTPPipeline
                    filters:
                    - name: proxy
                      kind: Proxy
                      mainPool:
                        servers:
                        - url: %s
                    """.formatted(port, backend.url());
            EgctlRun applied = EgctlRun.withStdin(cluster.egctl(), objects, "apply", "--wait", "-f", "-");
            assertThat(applied.exit()).as(applied.toString()).isZero();
            String node = cluster.nodeIds().get(0);
            String base = "http://" + cluster.address(node) + ":" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(base + "/sink"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(GIGABYTE))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(upload.body().trim()).isEqualTo("bytes=" + GIGABYTE + " crc32=" + Long.toHexString(crc(GIGABYTE)));

            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(base + "/bytes/" + GIGABYTE)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(countChecked(download.body())).isEqualTo(GIGABYTE);

            long peakKb = peakResidentKb(cluster.pid(node));
            System.out.println("data plane peak resident memory after 1 GB up and down: " + peakKb / 1024 + " MB");
            assertThat(peakKb).as("the data plane's peak resident memory, KB").isLessThan(600 * 1024);
        }
    }

    private static long peakResidentKb(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow();
    }

    private static long crc(long size) throws Exception {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new Generated(size)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    private static long countChecked(InputStream in) throws Exception {
        byte[] buffer = new byte[1 << 16];
        long at = 0;
        int n;
        try (in) {
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != StreamingBackend.byteAt(at + i)) {
                        throw new AssertionError("wrong byte at " + (at + i));
                    }
                }
                at += n;
            }
        }
        return at;
    }

    /** The backend's byte pattern, generated on the fly. */
    private static final class Generated extends InputStream {

        private final long size;
        private long at;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return at < size ? StreamingBackend.byteAt(at++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - at);
            for (int i = 0; i < n; i++) {
                b[off + i] = StreamingBackend.byteAt(at++);
            }
            return n;
        }
    }
}
