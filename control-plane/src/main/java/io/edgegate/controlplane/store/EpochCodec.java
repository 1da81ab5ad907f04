package io.edgegate.controlplane.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The epoch marker's JSON in the store. An unreadable marker counts as none: a new epoch replaces it. */
final class EpochCodec {

    private static final Logger log = LoggerFactory.getLogger(EpochCodec.class);

    private final ObjectMapper json = new ObjectMapper();

    String write(Epoch epoch) {
        ObjectNode root = json.createObjectNode()
                .put("id", epoch.id())
                .put("startedAtMillis", epoch.startedAtMillis())
                .put("reason", epoch.reason())
                .put("startedEmpty", epoch.startedEmpty())
                .put("accepted", epoch.accepted());
        try {
            return json.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Epoch> read(String text) {
        try {
            JsonNode root = json.readTree(text);
            String id = root.path("id").asText("");
            if (id.isEmpty()) {
                log.warn("ignoring an epoch marker without an id: {}", text);
                return Optional.empty();
            }
            return Optional.of(new Epoch(id, root.path("startedAtMillis").asLong(), root.path("reason").asText(""),
                    root.path("startedEmpty").asBoolean(false), root.path("accepted").asBoolean(false)));
        } catch (IOException e) {
            log.warn("ignoring an unreadable epoch marker: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
