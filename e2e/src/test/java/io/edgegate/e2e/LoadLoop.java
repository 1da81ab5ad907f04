package io.edgegate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic for a test: one thread per keep-alive connection, each sending requests back
 * to back on its one TCP connection. Any status but 200, any broken or closed connection is
 * counted, so a test can demand that none happened.
 */
final class LoadLoop implements AutoCloseable {

    private final List<InetSocketAddress> targets;
    private final String path;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    private LoadLoop(List<InetSocketAddress> targets, String path) {
        this.targets = targets;
        this.path = path;
    }

    /** Starts {@code connectionsPerTarget} keep-alive connections to each target. */
    static LoadLoop start(List<InetSocketAddress> targets, String path, int connectionsPerTarget) {
        LoadLoop loop = new LoadLoop(targets, path);
        for (InetSocketAddress target : targets) {
            for (int i = 0; i < connectionsPerTarget; i++) {
                Thread t = new Thread(() -> loop.drive(target), "load-" + target);
                t.setDaemon(true);
                loop.threads.add(t);
                t.start();
            }
        }
        return loop;
    }

    long succeeded() {
        return ok.get();
    }

    long failed() {
        return failed.get();
    }

    long resets() {
        return resets.get();
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems.subList(0, Math.min(10, problems.size())));
        }
    }

    private void drive(InetSocketAddress target) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        while (running.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(target, 2000);
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (running.get()) {
                    out.write(request);
                    out.flush();
                    int status = readResponse(in);
                    if (status == 200) {
                        ok.incrementAndGet();
                    } else {
                        fail(target + " answered " + status);
                    }
                }
            } catch (SocketException e) {
                if (running.get()) {
                    resets.incrementAndGet();
                    fail(target + ": " + e);
                }
            } catch (IOException e) {
                if (running.get()) {
                    fail(target + ": " + e);
                }
            }
        }
    }

    private void fail(String problem) {
        failed.incrementAndGet();
        if (problems.size() < 100) {
            problems.add(problem);
        }
    }

    /** Reads one response framed by Content-Length and returns its status; a closed connection is an error. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed inside a body");
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    @Override
    public String toString() {
        return ok + " ok, " + failed + " failed (" + resets + " resets): " + problems();
    }
}
