package io.edgegate.egctl.daemon;

import io.edgegate.egctl.Egctl;
import io.edgegate.egctl.Terminal;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One command line from the launcher. First the daemon proves it holds the cookie: the launcher
 * sends a nonce line and gets back the SHA-256 of "cookie:nonce" in hex — only then does it send
 * anything secret (another user's program on a port this daemon left would not know it). Then the
 * request: NUL-separated fields (cookie, version, working directory, the files for standard error,
 * the exit status and standard input, then the environment and the arguments, each list after its
 * length). The daemon answers "ok" once it takes the call — from then on the launcher never runs
 * the command itself, so nothing runs twice — then standard output as it is written; standard
 * error and the exit status go to the launcher's files, the status before the connection closes.
 */
final class DaemonCall implements Runnable {

    /** Larger requests are not the launcher's. */
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    /** A launcher sends its nonce and request at once; a connection that does not is closed. */
    private static final int REQUEST_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final String cookie;
    private final String version;

    DaemonCall(Socket socket, String cookie, String version) {
        this.socket = socket;
        this.cookie = cookie;
        this.version = version;
    }

    /** Runs a command that fails at once, so its classes are loaded before a caller waits for them. */
    static void warmUp() {
        StringWriter discard = new StringWriter();
        Terminal quiet = new Terminal(new PrintWriter(discard), new PrintWriter(discard), InputStream.nullInputStream(),
                Map.of("HOME", System.getProperty("java.io.tmpdir")), Path.of(System.getProperty("java.io.tmpdir")));
        Egctl.run(new String[] {"--server", "127.0.0.1:1", "--insecure", "get", "members"}, quiet);
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String nonce = new Fields(in, (byte) '\n', 256).next();
            out.write((proof(cookie, nonce) + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Request request = Request.read(in);
            if (!MessageDigest.isEqual(request.cookie.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII))
                    || !request.version.equals(version)) {
                // Not for this daemon: the launcher gets no "ok" and runs egctl itself.
                return;
            }
            out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoTimeout(0);
            PrintWriter stdout = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            int status;
            try (Writer errFile = Files.newBufferedWriter(request.errFile, StandardCharsets.UTF_8);
                 PrintWriter stderr = new PrintWriter(errFile);
                 InputStream stdin = request.stdinFile.isEmpty() ? InputStream.nullInputStream() : Files.newInputStream(request.stdinFile.get())) {
                status = Egctl.run(request.args.toArray(String[]::new), new Terminal(stdout, stderr, stdin, request.env, request.cwd));
            }
            stdout.flush();
            // Before the connection closes: the launcher reads the status once its output has ended.
            Files.writeString(request.statusFile, status + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            // Before "ok" the launcher runs egctl itself; after it, it reports that the call ended without a status.
        }
    }

    /** What the launcher computes with sha256sum: the hex SHA-256 of "cookie:nonce". */
    static String proof(String cookie, String nonce) {
        try {
            byte[] sum = MessageDigest.getInstance("SHA-256").digest((cookie + ":" + nonce).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(sum);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private record Request(String cookie, String version, Path cwd, Path errFile, Path statusFile, java.util.Optional<Path> stdinFile,
                           Map<String, String> env, List<String> args) {

        static Request read(InputStream in) throws IOException {
            Fields fields = new Fields(in, (byte) 0, MAX_REQUEST_BYTES);
            String cookie = fields.next();
            String version = fields.next();
            Path cwd = Path.of(fields.next());
            Path errFile = Path.of(fields.next());
            Path statusFile = Path.of(fields.next());
            String stdin = fields.next();
            int envCount = fields.count();
            Map<String, String> env = new HashMap<>();
            for (int i = 0; i < envCount; i++) {
                String entry = fields.next();
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            int argCount = fields.count();
            List<String> args = new ArrayList<>();
            for (int i = 0; i < argCount; i++) {
                args.add(fields.next());
            }
            return new Request(cookie, version, cwd, errFile, statusFile,
                    stdin.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(stdin)), env, args);
        }
    }

    /** UTF-8 fields, each ended by {@code end}, at most {@code limit} bytes in all. */
    private static final class Fields {
        private final InputStream in;
        private final byte end;
        private final int limit;
        private int total;

        Fields(InputStream in, byte end, int limit) {
            this.in = in;
            this.end = end;
            this.limit = limit;
        }

        String next() throws IOException {
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != end) {
                if (b < 0) {
                    throw new IOException("the request ended early");
                }
                if (++total > limit) {
                    throw new IOException("the request is too large");
                }
                field.write(b);
            }
            return field.toString(StandardCharsets.UTF_8);
        }

        int count() throws IOException {
            try {
                int n = Integer.parseInt(next());
                if (n < 0 || n > 100_000) {
                    throw new IOException("a count out of range");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IOException("a count that is no number", e);
            }
        }
    }
}
