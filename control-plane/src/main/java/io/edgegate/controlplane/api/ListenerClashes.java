package io.edgegate.controlplane.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.edgegate.api.v1.Member;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.server.HttpServerSpec;
import io.grpc.Status;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Refuses a write after which two HTTPServers would listen on one port of one address: every node
 * would refuse that config as a whole, and keep refusing every later change until one of them goes.
 * Checked against the servers a read of the store lists just before the write (a concurrent write of
 * a clashing server can still pass; the nodes then refuse it, as before). An address left out, or 0.0.0.0 / ::, is every address,
 * so it clashes with any address on its port; two different addresses may share a port, except on a node
 * started with {@code --listen-address}, which binds every server there. No server may take a node's own
 * admin listener. Nodes say what they hold when they connect; a node that joins later refuses what clashes.
 */
final class ListenerClashes {

    private record Listener(int port, String address) {

        boolean clashesWith(Listener other) {
            return port == other.port && (address.isEmpty() || other.address.isEmpty() || address.equals(other.address));
        }
    }

    /** A stored server's port and address, read once per revision of it: a server may hold 50,000 routes. */
    private record Read(long revision, Listener listener) {
    }

    private final JsonFactory json = new JsonFactory();
    private final Map<ObjectId, Read> stored = new ConcurrentHashMap<>();

    /** Whether {@code documents} write a server, so the stored ones must be read for {@link #check}. */
    static boolean writesServer(List<DecodedDocument> documents) {
        return documents.stream().anyMatch(d -> d.object().spec() instanceof HttpServerSpec);
    }

    /**
     * Throws when a server {@code documents} write would share a listener with another of {@code storedServers}, or
     * on one of {@code members} with another server (a node that binds every server on one address) or with the
     * node's own admin listener.
     */
    void check(List<DecodedDocument> documents, List<StoredRecord> storedServers, Supplier<List<Member>> nodes) {
        Map<ObjectId, Listener> servers = new LinkedHashMap<>();
        Map<ObjectId, DecodedDocument> written = new LinkedHashMap<>();
        for (DecodedDocument d : documents) {
            if (d.object().spec() instanceof HttpServerSpec spec) {
                written.put(d.object().id(), d);
                servers.put(d.object().id(), new Listener(spec.port(), canonical(spec.address())));
            }
        }
        if (written.isEmpty()) {
            return;
        }
        Set<ObjectId> present = new HashSet<>();
        for (StoredRecord record : storedServers) {
            present.add(record.id());
            if (record.id().kind() == ObjectKind.HTTP_SERVER && !servers.containsKey(record.id())) {
                servers.put(record.id(), storedListener(record));
            }
        }
        stored.keySet().retainAll(present);
        for (Map.Entry<ObjectId, DecodedDocument> entry : written.entrySet()) {
            Listener mine = servers.get(entry.getKey());
            for (Map.Entry<ObjectId, Listener> other : servers.entrySet()) {
                if (!other.getKey().equals(entry.getKey()) && mine.clashesWith(other.getValue())) {
                    throw new ApiException(Status.Code.FAILED_PRECONDITION, entry.getValue().source().label() + ": " + entry.getKey()
                            + " cannot listen on port " + mine.port() + where(mine) + ": " + other.getKey() + where(other.getValue())
                            + " does; every node would refuse both (nothing was written: give it another port, or delete "
                            + other.getKey() + " first)");
                }
            }
        }
        List<Member> members = nodes.get();
        for (Map.Entry<ObjectId, DecodedDocument> entry : written.entrySet()) {
            checkOnNodes(entry.getKey(), entry.getValue().source().label(), servers, members);
        }
    }

    /** What the nodes that hold listeners of their own would refuse: servers the spec alone lets share a port. */
    private static void checkOnNodes(ObjectId id, String label, Map<ObjectId, Listener> servers, List<Member> members) {
        Listener mine = servers.get(id);
        for (Member node : members) {
            String bindsAll = canonical(Optional.of(node.getListenAddress()));
            if (!node.getListenAddress().isBlank()) {
                for (Map.Entry<ObjectId, Listener> other : servers.entrySet()) {
                    if (!other.getKey().equals(id) && other.getValue().port() == mine.port()) {
                        throw new ApiException(Status.Code.FAILED_PRECONDITION, label + ": " + id + " cannot listen on port "
                                + mine.port() + where(mine) + ": " + other.getKey() + where(other.getValue()) + " does, and node "
                                + nodes(node, members, n -> n.getListenAddress().equals(node.getListenAddress()))
                                + " binds every server on " + node.getListenAddress() + " (its --listen-address): it would refuse "
                                + "both (nothing was written: give it another port)");
                    }
                }
            }
            Optional<Listener> admin = adminListener(node.getAdminListener());
            if (admin.isPresent()) {
                Listener onNode = node.getListenAddress().isBlank() ? mine : new Listener(mine.port(), bindsAll);
                if (onNode.clashesWith(admin.get())) {
                    throw new ApiException(Status.Code.FAILED_PRECONDITION, label + ": " + id + " cannot listen on port "
                            + mine.port() + where(onNode) + ": the admin listener of node "
                            + nodes(node, members, n -> n.getAdminListener().equals(node.getAdminListener())
                                    && n.getListenAddress().equals(node.getListenAddress()))
                            + " is on " + node.getAdminListener() + ", and the node would refuse it (nothing was written: "
                            + "give it another port)");
                }
            }
        }
    }

    /** {@code first}'s id, and how many other nodes are alike. */
    private static String nodes(Member first, List<Member> members, Predicate<Member> alike) {
        long others = members.stream().filter(m -> m != first && alike.test(m)).count();
        return first.getNodeId() + (others == 0 ? "" : " (and " + others + " other" + (others == 1 ? "" : "s") + ")");
    }

    /** HOST:PORT as a node reports it; nothing for a listener it does not have or a text that is none. */
    private static Optional<Listener> adminListener(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Optional.of(new Listener(port, canonical(Optional.of(host))));
        } catch (NumberFormatException notAPort) {
            return Optional.empty();
        }
    }

    private static String where(Listener listener) {
        return listener.address().isEmpty() ? "" : " on " + listener.address();
    }

    private Listener storedListener(StoredRecord record) {
        Read read = stored.get(record.id());
        if (read == null || read.revision() != record.modRevision()) {
            read = new Read(record.modRevision(), parse(record.json()));
            stored.put(record.id(), read);
        }
        return read.listener();
    }

    /** The top-level port and address of a stored server, skipping its rules unread. */
    private Listener parse(String document) {
        int port = 0;
        Optional<String> address = Optional.empty();
        try (JsonParser parser = json.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Listener(0, "");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if (field.equals("port") && value == JsonToken.VALUE_NUMBER_INT) {
                    port = parser.getIntValue();
                } else if (field.equals("address") && value == JsonToken.VALUE_STRING) {
                    address = Optional.of(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Listener(port, canonical(address));
    }

    /** Every address as "", an IP address in one spelling. */
    private static String canonical(Optional<String> address) {
        String text = address.map(String::trim).orElse("");
        if (text.isEmpty()) {
            return "";
        }
        // Literals only: a node may name its address by a host name, which is not looked up on an API thread.
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(text);
        if (ip == null) {
            return text;
        }
        return ip.isAnyLocalAddress() ? "" : ip.getHostAddress();
    }
}
