package io.edgegate.controlplane.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.edgegate.controlplane.store.StoredRecord;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.server.HttpServerSpec;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a write after which two HTTPServers would listen on one port of one address: every node
 * would refuse that config as a whole, and keep refusing every later change until one of them goes.
 * Checked against the servers a read of the store lists just before the write (a concurrent write of
 * a clashing server can still pass; the nodes then refuse it, as before). An address left out, or 0.0.0.0 / ::, is every address,
 * so it clashes with any address on its port; two different addresses may share a port. Nodes started
 * with {@code --listen-address} bind every server there, so on them those clash too: the node says so.
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

    /** Throws when a server {@code documents} write would share a listener with another of {@code storedServers}. */
    void check(List<DecodedDocument> documents, List<StoredRecord> storedServers) {
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
        try {
            InetAddress ip = InetAddress.getByName(text);
            return ip.isAnyLocalAddress() ? "" : ip.getHostAddress();
        } catch (UnknownHostException notAnAddress) {
            // The spec accepts IP addresses only; kept as written.
            return text;
        }
    }
}
