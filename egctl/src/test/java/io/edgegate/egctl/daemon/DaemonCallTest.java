package io.edgegate.egctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One call to the daemon, as the launcher makes it and as a careless or hostile client might. */
class DaemonCallTest {

    private static final String COOKIE = "c0ffee";
    private static final String VERSION = "1-2";

    @TempDir
    Path dir;

    @Test
    void theLauncherGetsTheProofThenOkThenTheOutputAndTheStatus() throws Exception {
        String reply = call("1234\n" + request(COOKIE, VERSION, "--version"));
        String[] lines = reply.split("\n", 3);
        assertThat(lines[0]).isEqualTo(DaemonCall.proof(COOKIE, "1234"));
        assertThat(lines[1]).isEqualTo("ok");
        assertThat(lines[2]).startsWith("egctl ");
        assertThat(Files.readString(dir.resolve("status"))).isEqualTo("0\n");
    }

    @Test
    void aWrongCookieOrVersionGetsTheProofOnlyAndRunsNothing() throws Exception {
        for (String[] wrong : new String[][] {{"guess", VERSION}, {COOKIE, "0-0"}}) {
            String reply = call("1\n" + request(wrong[0], wrong[1], "--version"));
            assertThat(reply).isEqualTo(DaemonCall.proof(COOKIE, "1") + "\n");
            assertThat(dir.resolve("status")).doesNotExist();
        }
    }

    @Test
    void malformedRequestsAreClosedWithoutRunningAnything() throws Exception {
        String huge = "x".repeat(300);
        assertThat(call(huge + "\n")).as("a nonce longer than any launcher's").isEmpty();
        assertThat(call("1\n" + COOKIE + "\0" + VERSION + "\0")).as("a request that ends early").endsWith("\n").doesNotContain("ok");
        assertThat(call("1\n" + COOKIE + "\0" + VERSION + "\0/\0" + dir.resolve("err") + "\0" + dir.resolve("status") + "\0\0-5\0"))
                .as("a negative count").doesNotContain("ok");
        assertThat(dir.resolve("status")).doesNotExist();
    }

    private String request(String cookie, String version, String... args) {
        StringBuilder out = new StringBuilder();
        for (String field : new String[] {cookie, version, dir.toString(), dir.resolve("err").toString(), dir.resolve("status").toString(),
                "", "1", "HOME=" + dir, Integer.toString(args.length)}) {
            out.append(field).append('\0');
        }
        for (String arg : args) {
            out.append(arg).append('\0');
        }
        return out.toString();
    }

    /** Sends {@code sent}, stops sending, and returns all the daemon's side wrote before it closed. */
    private String call(String sent) throws Exception {
        Files.deleteIfExists(dir.resolve("status"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(new DaemonCall(accepted, COOKIE, VERSION));
            client.getOutputStream().write(sent.getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            running.get(10, TimeUnit.SECONDS);
            return got.toString(StandardCharsets.UTF_8);
        }
    }
}
