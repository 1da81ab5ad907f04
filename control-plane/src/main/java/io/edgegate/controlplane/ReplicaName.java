package io.edgegate.controlplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** How a replica is named among the replicas sharing one etcd: by an address only it has. */
final class ReplicaName {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private ReplicaName() {
    }

    /** {@code listen} as host:port, with this host's name for a wildcard address (which every replica shares). */
    static String of(InetSocketAddress listen, Supplier<String> hostName) {
        InetAddress address = listen.getAddress();
        String host = address != null && address.isAnyLocalAddress() ? hostName.get() : listen.getHostString();
        return host + ":" + listen.getPort();
    }

    /** The kernel's host name (a pod's name in Kubernetes), without a DNS lookup that a bare host may not answer. */
    static String hostName() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException notLinux) {
            // Falls through to the JDK's way.
        }
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException unknown) {
            return "localhost";
        }
    }
}
