package io.edgegate.dataplane.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client (cleartext, prior knowledge) that writes frames byte by byte as a test builds
 * them, with no codec of its own to refuse or correct what a hostile client sends: floods,
 * resets, header blocks that never end, windows that never open. Optionally reads every frame
 * the server sends on a thread of its own (and acknowledges the server's SETTINGS, as a client
 * must), so a test can see what came back and when the server closed the connection.
 */
final class RawHttp2Client implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int REFUSED_STREAM = 0x7;
    static final int ENHANCE_YOUR_CALM = 0xb;
    static final int CANCEL = 0x8;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    record Frame(int type, int flags, int stream, byte[] payload) {

        /** The error code of a RST_STREAM or GOAWAY frame. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch settingsAcknowledged = new CountDownLatch(1);

    /**
     * Connects, sends the preface and {@code settings} (pairs of identifier and value); reads the
     * server's frames when {@code reading}, else reads nothing through a small receive window, so
     * the server's buffers fill as they would for a client that stopped reading.
     */
    RawHttp2Client(int port, boolean reading, int... settings) throws IOException {
        socket = new Socket();
        if (!reading) {
            socket.setReceiveBufferSize(4096);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        out = socket.getOutputStream();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < settings.length; i += 2) {
            payload.write(settings[i] >> 8);
            payload.write(settings[i]);
            writeInt(payload, settings[i + 1]);
        }
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, payload.toByteArray());
        if (reading) {
            Thread reader = new Thread(this::readAll, "raw-http2-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void readAll() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                received.add(new Frame(type, flags, stream, payload));
                if (type == SETTINGS && (flags & ACK) == 0) {
                    frame(SETTINGS, ACK, 0, new byte[0]);
                    settingsAcknowledged.countDown();
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            // The server closed the connection (or reset it): what the hostile tests wait for.
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            closed.countDown();
        }
    }

    /** Writes one frame; throws when the server has closed or reset the connection. */
    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        write(encode(type, flags, stream, payload));
    }

    /** Writes frames already encoded; throws when the server has closed or reset the connection. */
    synchronized void write(byte[] frames) throws IOException {
        out.write(frames);
    }

    /** Writes {@code frames} {@code times} times over; throws when the server has closed or reset the connection. */
    void flood(byte[] frames, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            write(frames);
        }
    }

    /** One frame's bytes: its 9-byte header, then the payload. */
    static byte[] encode(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(9 + payload.length);
        frame.write(payload.length >> 16);
        frame.write(payload.length >> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        writeInt(frame, stream);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** {@code frame} {@code count} times in a row. */
    static byte[] repeated(byte[] frame, int count) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream(frame.length * count);
        for (int i = 0; i < count; i++) {
            frames.writeBytes(frame);
        }
        return frames.toByteArray();
    }

    /** The value of setting {@code id} in a SETTINGS frame, if it names one. */
    static java.util.OptionalInt setting(Frame settings, int id) {
        byte[] p = settings.payload();
        for (int at = 0; at + 6 <= p.length; at += 6) {
            if ((((p[at] & 0xff) << 8) | (p[at + 1] & 0xff)) == id) {
                return java.util.OptionalInt.of(((p[at + 2] & 0xff) << 24) | ((p[at + 3] & 0xff) << 16) | ((p[at + 4] & 0xff) << 8) | (p[at + 5] & 0xff));
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** A GET's header block for {@code path}: the four pseudo-headers as literals, never indexed, then {@code more}. */
    static byte[] request(String path, byte[]... more) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", "GET");
        literal(block, ":scheme", "http");
        literal(block, ":path", path);
        literal(block, ":authority", "a.example");
        for (byte[] bytes : more) {
            block.writeBytes(bytes);
        }
        return block.toByteArray();
    }

    /** A header field as a literal with a new name, not indexed (RFC 7541 §6.2.2). */
    static byte[] literal(String name, String value) {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        literal(field, name, value);
        return field.toByteArray();
    }

    /** A header field as a literal with a new name that the decoder adds to its dynamic table (RFC 7541 §6.2.1). */
    static byte[] indexedLiteral(String name, String value) {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        field.write(0x40);
        string(field, name);
        string(field, value);
        return field.toByteArray();
    }

    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name);
        string(block, value);
    }

    /** A string literal without Huffman coding: its length as a 7-bit-prefix integer, then its bytes. */
    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        integer(block, 0x00, 7, bytes.length);
        block.writeBytes(bytes);
    }

    /** An HPACK integer with an {@code prefixBits}-bit prefix after the bits of {@code first} (RFC 7541 §5.1). */
    static void integer(ByteArrayOutputStream block, int first, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(first | value);
            return;
        }
        block.write(first | max);
        value -= max;
        while (value >= 128) {
            block.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        block.write(value);
    }

    /** A 32-bit payload: a RST_STREAM's error code, a WINDOW_UPDATE's increment. */
    static byte[] int32(int value) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeInt(payload, value);
        return payload.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    /**
     * Waits until the server's SETTINGS are acknowledged (only when reading): a test that then sends
     * a header block in pieces knows no acknowledgement will land between them, which the protocol forbids.
     */
    void awaitSettingsAcknowledged() throws InterruptedException {
        if (!settingsAcknowledged.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server sent no SETTINGS within 5 s");
        }
    }

    /** Whether the server closed the connection within {@code seconds} (only when reading). */
    boolean closedByServerWithin(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    /** The frames received so far of {@code type} on {@code stream}. */
    List<Frame> received(int type, int stream) {
        return received.stream().filter(f -> f.type() == type && f.stream() == stream).toList();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
