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
 * One command line from the launcher: the request is NUL-separated fields (cookie, version, working
 * directory, the files for standard error, the exit status and standard input, then the
 * environment and the arguments, each list after its length). Standard output goes back over the
 * connection as it is written; standard error and the exit status go to the launcher's files.
 */
final class DaemonCall implements Runnable {

    /** Larger requests are not the launcher's. */
    private static final int MAX_REQUEST_BYTES = 1 << 20;

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
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Request request = Request.read(in);
            if (!MessageDigest.isEqual(request.cookie.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII))
                    || !request.version.equals(version)) {
                // Not for this daemon: the launcher finds no exit status and runs egctl itself.
                return;
            }
            OutputStream out = socket.getOutputStream();
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
            // The launcher sees no exit status and runs egctl itself.
        }
    }

    private record Request(String cookie, String version, Path cwd, Path errFile, Path statusFile, java.util.Optional<Path> stdinFile,
                           Map<String, String> env, List<String> args) {

        static Request read(InputStream in) throws IOException {
            Fields fields = new Fields(in);
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

    /** NUL-terminated UTF-8 fields. */
    private static final class Fields {
        private final InputStream in;
        private int total;

        Fields(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != 0) {
                if (b < 0) {
                    throw new IOException("the request ended early");
                }
                if (++total > MAX_REQUEST_BYTES) {
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
