package io.edgegate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real multi-member etcd cluster on loopback, whose members can be stopped and started one by one. */
public final class EtcdCluster implements AutoCloseable {

    private final Path dir;
    private final List<Member> members = new ArrayList<>();

    private EtcdCluster(Path dir) {
        this.dir = dir;
    }

    public static EtcdCluster start(int size) {
        try {
            EtcdCluster cluster = new EtcdCluster(Files.createTempDirectory("edgegate-etcd-cluster-"));
            for (int i = 0; i < size; i++) {
                cluster.members.add(new Member("m" + i, FreePorts.pick(), FreePorts.pick()));
            }
            cluster.members.forEach(cluster::launch);
            for (Member m : cluster.members) {
                cluster.awaitListening(m);
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> endpoints() {
        return members.stream().map(m -> "http://127.0.0.1:" + m.clientPort).toList();
    }

    public void stop(int index) {
        Member m = members.get(index);
        m.process.destroyForcibly();
        try {
            m.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < members.size(); i++) {
            stop(i);
        }
        EtcdProcess.deleteRecursively(dir);
    }

    private void launch(Member m) {
        StringBuilder initialCluster = new StringBuilder();
        for (Member peer : members) {
            if (initialCluster.length() > 0) {
                initialCluster.append(',');
            }
            initialCluster.append(peer.name).append("=http://127.0.0.1:").append(peer.peerPort);
        }
        String client = "http://127.0.0.1:" + m.clientPort;
        String peer = "http://127.0.0.1:" + m.peerPort;
        try {
            m.process = new ProcessBuilder("etcd", "--name", m.name, "--data-dir", dir.resolve(m.name).toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", initialCluster.toString(), "--initial-cluster-state", "new",
                    "--heartbeat-interval", "20", "--election-timeout", "200",
                    "--logger", "zap", "--log-level", "warn")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(m.name + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd", e);
        }
    }

    private void awaitListening(Member m) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", m.clientPort), 200);
                return;
            } catch (IOException e) {
                Pause.briefly();
            }
        }
        throw new IllegalStateException("etcd member " + m.name + " did not listen; see " + dir);
    }

    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        Process process;

        Member(String name, int clientPort, int peerPort) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
        }
    }
}
