package io.edgegate.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Easegress object and filter kinds EdgeGate does not implement (yet), each with the reason, so a
 * migrating user reads "not supported yet, because …" rather than "unknown kind". README's table
 * "Easegress kinds not supported yet" lists the same entries (a test keeps the two in step).
 */
public final class NotSupportedYet {

    private static final Map<String, String> OBJECT_KINDS = objectKinds();
    private static final Map<String, String> FILTER_KINDS = filterKinds();

    private NotSupportedYet() {
    }

    /** Why the object kind {@code kind} is refused, when it is an Easegress kind we do not have. */
    public static Optional<String> objectKind(String kind) {
        return Optional.ofNullable(OBJECT_KINDS.get(kind));
    }

    /** Why the filter kind {@code kind} is refused, when it is an Easegress kind we do not have. */
    public static Optional<String> filterKind(String kind) {
        return Optional.ofNullable(FILTER_KINDS.get(kind));
    }

    public static Map<String, String> objectKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("GRPCServer", "an HTTPServer serves gRPC itself (HTTP/2 over TLS or h2c): route /package.Service/Method paths to a GRPCProxy pipeline");
        kinds.put("MQTTProxy", "MQTT is not an HTTP protocol; no MQTT listener is built");
        all(kinds, "only ZooKeeper and etcd registries are built", "ConsulServiceRegistry", "EurekaServiceRegistry", "NacosServiceRegistry");
        kinds.put("AutoCertManager", "certificates come from files or Secrets; no ACME client is built");
        kinds.put("IngressController", "no Kubernetes controller is built; run the data planes behind a Service");
        kinds.put("GatewayController", "no Kubernetes Gateway API controller is built");
        kinds.put("MeshController", "no service mesh is built");
        kinds.put("FaaSController", "no function runtime is built");
        kinds.put("AIGatewayController", "no AI gateway is built");
        kinds.put("WAFController", "no web application firewall is built");
        kinds.put("EaseMonitorMetrics", "metrics are scraped from /metrics in Prometheus's format");
        return java.util.Collections.unmodifiableMap(kinds);
    }

    public static Map<String, String> filterKinds() {
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("Bridge", "Easegress v1's pipeline-to-pipeline call; route to the other pipeline instead");
        kinds.put("Kafka", "Kafka is not an HTTP protocol; no Kafka client is built");
        all(kinds, "MQTT is not built", "KafkaMQTT", "MQTTClientAuth", "TopicMapper", "ConnectControl");
        kinds.put("WasmHost", "no WebAssembly runtime is built");
        kinds.put("OPAFilter", "no Open Policy Agent engine is built");
        kinds.put("WAF", "no web application firewall is built");
        all(kinds, "no AI gateway is built", "AIGatewayProxy", "SemanticCache");
        kinds.put("MeshAdaptor", "no service mesh is built");
        return java.util.Collections.unmodifiableMap(kinds);
    }

    private static void all(Map<String, String> kinds, String reason, String... names) {
        for (String name : names) {
            kinds.put(name, reason);
        }
    }
}
