package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects Easegress's {@code egctl create httpproxy} makes: one HTTPServer named NAME whose
 * paths lead to Pipelines NAME-0, NAME-1, … (one per rule, in the order given), each a Proxy
 * balancing round-robin over the rule's endpoints. Consecutive rules for one host share a server
 * rule, as there.
 */
final class HttpProxyObjects {

    /** One {@code --rule HOST/PATH=URL[,URL…]}; a path ending in {@code *} is a prefix. */
    record Rule(String host, Optional<String> path, Optional<String> pathPrefix, List<String> endpoints) {

        static Rule parse(String text) {
            String[] sides = text.split("=", -1);
            if (sides.length != 2) {
                throw new CommandFailure("--rule " + text + ": should be HOST/PATH=URL[,URL…] with one '='");
            }
            int slash = sides[0].indexOf('/');
            if (slash < 0) {
                throw new CommandFailure("--rule " + text + ": no path (a rule for any host starts with '/', e.g. /api=URL)");
            }
            String host = sides[0].substring(0, slash);
            String path = sides[0].substring(slash);
            List<String> endpoints = Arrays.stream(sides[1].split(",", -1)).filter(e -> !e.isEmpty()).toList();
            if (endpoints.isEmpty()) {
                throw new CommandFailure("--rule " + text + ": no endpoint after '='");
            }
            // As Easegress: one trailing '*' makes the path a prefix, and is not part of it.
            return path.endsWith("*")
                    ? new Rule(host, Optional.empty(), Optional.of(path.substring(0, path.length() - 1)), endpoints)
                    : new Rule(host, Optional.of(path), Optional.empty(), endpoints);
        }
    }

    /** HTTPS material, keyed as Easegress keys it: each certificate and its key under the certificate file's name. */
    record Tls(Optional<String> caCertBase64, Map<String, String> certs, Map<String, String> keys) {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HttpProxyObjects() {
    }

    /** The server first, then its pipelines. */
    static List<ObjectNode> objects(String name, int port, List<Rule> rules, Optional<Tls> tls) {
        List<ObjectNode> objects = new ArrayList<>();
        ObjectNode server = JSON.objectNode().put("kind", "HTTPServer").put("name", name).put("port", port);
        tls.ifPresent(t -> {
            server.put("https", true);
            t.caCertBase64().ifPresent(ca -> server.put("caCertBase64", ca));
            server.set("certs", strings(t.certs()));
            server.set("keys", strings(t.keys()));
        });
        ArrayNode serverRules = server.putArray("rules");
        objects.add(server);
        String previousHost = null;
        ArrayNode paths = null;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String pipeline = name + "-" + i;
            if (paths == null || !rule.host().equals(previousHost)) {
                ObjectNode serverRule = serverRules.addObject();
                if (!rule.host().isEmpty()) {
                    serverRule.put("host", rule.host());
                }
                paths = serverRule.putArray("paths");
                previousHost = rule.host();
            }
            ObjectNode path = paths.addObject();
            rule.path().ifPresent(p -> path.put("path", p));
            rule.pathPrefix().ifPresent(p -> path.put("pathPrefix", p));
            path.put("backend", pipeline);
            objects.add(pipeline(pipeline, rule.endpoints()));
        }
        return objects;
    }

    private static ObjectNode pipeline(String name, List<String> endpoints) {
        ObjectNode pipeline = JSON.objectNode().put("kind", "Pipeline").put("name", name);
        ObjectNode proxy = pipeline.putArray("filters").addObject().put("name", "proxy").put("kind", "Proxy");
        ObjectNode pool = proxy.putArray("pools").addObject();
        ArrayNode servers = pool.putArray("servers");
        endpoints.forEach(url -> servers.addObject().put("url", url));
        pool.putObject("loadBalance").put("policy", "roundRobin");
        return pipeline;
    }

    private static ObjectNode strings(Map<String, String> values) {
        ObjectNode node = JSON.objectNode();
        values.forEach(node::put);
        return node;
    }
}
