package io.edgegate.dataplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One registered instance of a service, as Easegress writes it: {@code serviceName},
 * {@code instanceID}, {@code address} (v1: {@code hostIP}), {@code port}, {@code scheme},
 * {@code tags}, {@code weight}.
 */
public record ServiceInstance(String serviceName, String instanceId, String scheme, String address, int port,
                              List<String> tags, int weight) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ServiceInstance {
        tags = List.copyOf(tags);
    }

    /** The server URL a pool proxies to; IPv6 addresses in brackets. */
    public String url() {
        String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return scheme + "://" + host + ":" + port;
    }

    /**
     * Reads an instance; {@code serviceFromKey} names the service when the JSON does not.
     * Empty when the value is not an instance (no address or port, a bad port or scheme).
     */
    public static Optional<ServiceInstance> parse(String json, String serviceFromKey, String idFromKey) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject()) {
            return Optional.empty();
        }
        String address = text(node, "address").or(() -> text(node, "hostIP")).orElse("");
        int port = node.path("port").asInt(-1);
        String scheme = text(node, "scheme").orElse("http");
        if (address.isEmpty() || port < 1 || port > 65535 || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.empty();
        }
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.asText()));
        int weight = node.path("weight").asInt(0);
        return Optional.of(new ServiceInstance(text(node, "serviceName").orElse(serviceFromKey),
                text(node, "instanceID").orElse(idFromKey), scheme, address, port, tags, weight <= 0 ? 1 : weight));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.textValue().isEmpty() ? Optional.empty() : Optional.of(value.textValue());
    }
}
