package io.edgegate.dataplane.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Zipkin server's span intake in the test's JVM ({@code POST /api/v2/spans}, JSON v2), answering 202 as Zipkin does. */
final class ZipkinReceiver implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    ZipkinReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v2/spans", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans";
    }

    List<JsonNode> spansOf(String traceId) {
        return spans.stream().filter(s -> s.get("traceId").asText().equals(traceId)).toList();
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            JsonNode body = json.readTree(exchange.getRequestBody());
            List<JsonNode> received = new ArrayList<>();
            body.forEach(received::add);
            spans.addAll(received);
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 202 : 405, -1);
        }
    }

    @Override
    public void close() {
        if (!closed.getAndSet(true)) {
            server.stop(0);
        }
    }
}
