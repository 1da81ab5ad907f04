package io.edgegate.spec.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.ObjectSpec;
import io.edgegate.spec.codec.DecodeContext;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.filter.ipfilter.Cidr;
import io.edgegate.spec.filter.ipfilter.IpFilterRules;
import io.edgegate.spec.filter.proxy.PoolSpec;
import io.edgegate.spec.server.tls.TlsSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP listener and its ordered routing rules (Easegress {@code HTTPServer}). EdgeGate adds
 * {@code readHeaderTimeout} and {@code trustedProxies}: the peers whose {@code X-Forwarded-For}
 * is believed when deciding who the client is (for IP filters and IP hashing);
 * {@code clientLimits}: connections per client IP.
 */
public record HttpServerSpec(
        String name,
        int port,
        Optional<String> address,
        boolean keepAlive,
        Duration keepAliveTimeout,
        int maxConnections,
        long clientMaxBodySize,
        boolean xForwardedFor,
        Duration readHeaderTimeout,
        int cacheSize,
        Optional<TlsSpec> tls,
        Optional<IpFilterRules> ipFilter,
        List<String> trustedProxies,
        Optional<ClientLimitsSpec> clientLimits,
        Optional<TracingSpec> tracing,
        RouterKind routerKind,
        List<RuleSpec> rules,
        Optional<String> globalFilter) implements ObjectSpec {

    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The pipeline a path's backendPool runs as on a node: a Proxy of that pool, named after the
     * server and the path (a '/' no user's pipeline name can hold).
     */
    public static String poolBackendName(String server, int rule, int path) {
        return server + "/rules[" + rule + "].paths[" + path + "]";
    }

    /** The backendPool paths of this server: the pipeline each becomes, and its pool. */
    public Map<String, PoolSpec> backendPools() {
        Map<String, PoolSpec> pools = new LinkedHashMap<>();
        for (RuleSpec rule : rules) {
            for (PathSpec path : rule.paths()) {
                if (path.backendPool().isPresent()) {
                    pools.put(path.backend(), path.backendPool().get());
                }
            }
        }
        return pools;
    }

    private static List<RuleSpec> withPoolBackends(String server, List<RuleSpec> rules) {
        List<RuleSpec> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            out.add(withPoolBackends(server, i, rules.get(i)));
        }
        return out;
    }

    private static RuleSpec withPoolBackends(String server, int index, RuleSpec rule) {
        List<PathSpec> paths = new ArrayList<>();
        for (int j = 0; j < rule.paths().size(); j++) {
            PathSpec path = rule.paths().get(j);
            paths.add(path.backendPool().isPresent() ? path.withBackend(poolBackendName(server, index, j)) : path);
        }
        return rule.withPaths(paths);
    }

    /**
     * Decodes rule {@code index} of server {@code server} alone, as {@link #decode} would have
     * decoded it in place: for a node that re-decodes only the rules whose text changed. Error
     * paths are relative to the rule; such a caller decodes the whole object to report them.
     */
    public static RuleSpec decodeRule(String server, int index, ObjectNode rule, RouterKind routerKind) throws SpecException {
        DecodeContext context = new DecodeContext(ValidationMode.STRICT);
        RuleSpec decoded = RuleSpec.decode(SpecNode.root(rule, context).asObject(), routerKind);
        context.throwIfErrors();
        return withPoolBackends(server, index, decoded);
    }

    /** Decodes path {@code pathIndex} of rule {@code ruleIndex} alone, as {@link #decodeRule} would have decoded it in place. */
    public static PathSpec decodePath(String server, int ruleIndex, int pathIndex, ObjectNode path, RouterKind routerKind)
            throws SpecException {
        DecodeContext context = new DecodeContext(ValidationMode.STRICT);
        PathSpec decoded = PathSpec.decode(SpecNode.root(path, context).asObject(), routerKind);
        context.throwIfErrors();
        return decoded.backendPool().isPresent() ? decoded.withBackend(poolBackendName(server, ruleIndex, pathIndex)) : decoded;
    }

    /** This server with other rules (decoded by {@link #decodeRule} or taken from a decode of the same server). */
    public HttpServerSpec withRules(List<RuleSpec> newRules) {
        return new HttpServerSpec(name, port, address, keepAlive, keepAliveTimeout, maxConnections, clientMaxBodySize, xForwardedFor,
                readHeaderTimeout, cacheSize, tls, ipFilter, trustedProxies, clientLimits, tracing, routerKind, newRules, globalFilter);
    }

    public static final int DEFAULT_MAX_CONNECTIONS = 10240;
    public static final long DEFAULT_CLIENT_MAX_BODY_SIZE = 4L * 1024 * 1024;
    /** A client gets this long to send a request head (slowloris protection); Go's ReadHeaderTimeout. */
    public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(10);

    /** Route matches remembered per listener; 0 (the default) remembers none. */
    public static final int MAX_CACHE_SIZE = 1_000_000;

    public HttpServerSpec {
        rules = List.copyOf(rules);
        trustedProxies = List.copyOf(trustedProxies);
    }

    @Override
    public ObjectKind kind() {
        return ObjectKind.HTTP_SERVER;
    }

    public static HttpServerSpec decode(String name, SpecObject o) {
        o.unsupported("automatic certificates (ACME) are planned; give certs and keys", "autoCert");
        o.unsupported("HTTP/3 (QUIC) is planned; HTTP/2 is served over TLS and h2c", "http3");
        // Easegress's globalFilter: a GlobalFilter object whose pipelines run before and after each request's pipeline.
        Optional<String> globalFilter = o.optionalString("globalFilter").filter(g -> !g.isEmpty());
        RouterKind routerKind = RouterKind.decode(o);
        int port = o.requiredInt("port", 1, 65535);
        Optional<String> address = o.optionalString("address");
        address.filter(a -> !IpLiterals.isIpLiteral(a))
                .ifPresent(a -> o.error("address", "'" + a + "' is not an IP address (expected: e.g. 0.0.0.0 or ::1)"));
        boolean keepAlive = o.bool("keepAlive", true);
        Duration keepAliveTimeout = o.duration("keepAliveTimeout", DEFAULT_KEEP_ALIVE_TIMEOUT);
        if (keepAliveTimeout.isNegative()) {
            o.error("keepAliveTimeout", "must be positive");
        } else if (keepAliveTimeout.isZero()) {
            // Easegress's 0 is Go's "no idle timeout"; here the same time also ends stalled uploads and readers that read nothing.
            o.warning("keepAliveTimeout", "0 is taken as the default, " + DEFAULT_KEEP_ALIVE_TIMEOUT.toSeconds()
                    + "s: it also bounds stalled uploads and clients that stop reading");
            keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT;
        }
        int maxConnections = o.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, Integer.MAX_VALUE);
        long clientMaxBodySize = o.longValue("clientMaxBodySize", DEFAULT_CLIENT_MAX_BODY_SIZE, -1, Long.MAX_VALUE);
        if (clientMaxBodySize == 0) {
            clientMaxBodySize = DEFAULT_CLIENT_MAX_BODY_SIZE; // as Easegress: 0 is the default
        }
        boolean xForwardedFor = o.bool("xForwardedFor", false);
        Duration readHeaderTimeout = o.duration("readHeaderTimeout", DEFAULT_READ_HEADER_TIMEOUT);
        if (readHeaderTimeout.isNegative() || readHeaderTimeout.isZero()) {
            o.error("readHeaderTimeout", "must be positive");
        }
        int cacheSize = o.integer("cacheSize", 0, 0, MAX_CACHE_SIZE);
        Optional<TlsSpec> tls = o.bool("https", false) ? Optional.of(TlsSpec.decode(o)) : Optional.empty();
        if (tls.isEmpty()) {
            // Easegress keeps certificates of a server with https off; they are read (and ignored) so they are not unknown keys.
            List.of("certs", "keys").forEach(o::stringMap);
            List.of("certBase64", "keyBase64", "caCertBase64").forEach(o::optionalString);
        }
        Optional<IpFilterRules> ipFilter = IpFilterRules.optional(o, "ipFilter");
        List<String> trustedProxies = o.stringList("trustedProxies");
        for (int i = 0; i < trustedProxies.size(); i++) {
            if (Cidr.parse(trustedProxies.get(i)).isEmpty()) {
                o.error("trustedProxies[" + i + "]", "'" + trustedProxies.get(i)
                        + "' is not an IP address or CIDR block (expected: e.g. 10.0.0.0/8)");
            }
        }
        Optional<ClientLimitsSpec> clientLimits = o.object("clientLimits").map(ClientLimitsSpec::decode);
        Optional<TracingSpec> tracing = o.object("tracing").map(TracingSpec::decode);
        List<RuleSpec> rules = withPoolBackends(name, o.list("rules", n -> RuleSpec.decode(n.asObject(), routerKind)));
        return new HttpServerSpec(name, port, address, keepAlive, keepAliveTimeout, maxConnections,
                clientMaxBodySize, xForwardedFor, readHeaderTimeout, cacheSize, tls, ipFilter, trustedProxies, clientLimits, tracing, routerKind,
                rules, globalFilter);
    }
}
