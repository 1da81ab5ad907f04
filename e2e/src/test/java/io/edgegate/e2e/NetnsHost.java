package io.edgegate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A host of its own on this machine: a Linux network namespace joined to this one by veth links,
 * each a /30 subnet with one address on either side. A test runs a process inside it and cuts a
 * link by taking it down, as a cable pulled out: what crossed it stops, what crosses the other
 * links goes on. Needs root (or CAP_NET_ADMIN); removed with everything in it on close.
 */
final class NetnsHost implements AutoCloseable {

    /** One link: its two interfaces and addresses. */
    record Link(String hostSide, String hostAddress, String namespaceSide, String namespaceAddress) {
    }

    private final String name;
    private final String tag;
    /** 10.X.Y.0/24 for this namespace's links, picked at random so concurrent runs do not clash. */
    private final String prefix;
    private final List<Link> links = new ArrayList<>();

    private NetnsHost(String name, String tag, String prefix) {
        this.name = name;
        this.tag = tag;
        this.prefix = prefix;
    }

    static NetnsHost create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String tag = Integer.toString(random.nextInt(1 << 20), 36);
        NetnsHost host = new NetnsHost("egtest-" + tag, tag, "10." + random.nextInt(100, 250) + "." + random.nextInt(1, 250) + ".");
        run("ip", "netns", "add", host.name);
        run("ip", "netns", "exec", host.name, "ip", "link", "set", "lo", "up");
        return host;
    }

    /** A new link to the namespace; its addresses are .(4n+1) here and .(4n+2) inside. */
    Link link() {
        int n = links.size();
        Link link = new Link("eh" + tag + n, prefix + (4 * n + 1), "en" + tag + n, prefix + (4 * n + 2));
        run("ip", "link", "add", link.hostSide(), "type", "veth", "peer", "name", link.namespaceSide());
        run("ip", "link", "set", link.namespaceSide(), "netns", name);
        run("ip", "addr", "add", link.hostAddress() + "/30", "dev", link.hostSide());
        run("ip", "link", "set", link.hostSide(), "up");
        run("ip", "netns", "exec", name, "ip", "addr", "add", link.namespaceAddress() + "/30", "dev", link.namespaceSide());
        run("ip", "netns", "exec", name, "ip", "link", "set", link.namespaceSide(), "up");
        links.add(link);
        return link;
    }

    void down(Link link) {
        run("ip", "link", "set", link.hostSide(), "down");
    }

    void up(Link link) {
        run("ip", "link", "set", link.hostSide(), "up");
    }

    /** {@code command} as it runs inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(command);
        return all;
    }

    @Override
    public void close() {
        // The namespace's ends of the links go with it, and their peers here with them.
        run("ip", "netns", "delete", name);
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
