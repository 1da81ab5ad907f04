package io.edgegate.controlplane.store;

import io.etcd.jetcd.ByteSequence;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An object's JSON as etcd keeps it: as it is, or gzip'd from 64 KiB on. A server of 50,000 routes
 * is 2 MB of JSON: over the 1.5 MiB a default etcd takes in one request, and written, logged, kept
 * in history and sent to every watcher at that size on each change of one route. gzip shrinks that
 * repetitive text ~12× in ~10 ms (the bench's server: 2.0 MB to 170 KB). Values are told apart by their first bytes (gzip's magic number; JSON starts
 * with '{'), so values written before this, or by hand, read as they are.
 */
final class StoredValues {

    /** Below this a value goes in as it is: compressing it would save little and cost a copy. */
    static final int COMPRESS_FROM_BYTES = 64 * 1024;
    /**
     * The most a compressed value may inflate to: far above any object the API accepts (16 MiB a
     * request), so only a value nobody of EdgeGate wrote can reach it.
     */
    static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private StoredValues() {
    }

    static ByteSequence encode(String json) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        if (raw.length < COMPRESS_FROM_BYTES) {
            return ByteSequence.from(raw);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 8);
        try (OutputStream gzip = new GZIPOutputStream(compressed, 64 * 1024)) {
            gzip.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress a value in memory", e);
        }
        return ByteSequence.from(compressed.toByteArray());
    }

    static String decode(ByteSequence value) {
        byte[] bytes = value.getBytes();
        if (!isGzip(bytes)) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 64 * 1024)) {
            byte[] inflated = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (inflated.length > MAX_INFLATED_BYTES) {
                throw new IllegalStateException("a stored value inflates to more than " + MAX_INFLATED_BYTES
                        + " bytes; EdgeGate writes none that large, so it was not written by EdgeGate");
            }
            return new String(inflated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("a stored value starts as gzip but does not inflate: " + e.getMessage(), e);
        }
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b;
    }
}
