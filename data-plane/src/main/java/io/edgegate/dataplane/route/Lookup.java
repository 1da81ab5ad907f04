package io.edgegate.dataplane.route;

import io.netty.handler.codec.http.HttpRequest;
import io.edgegate.dataplane.http.QueryParameters;
import io.edgegate.dataplane.net.ClientAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** One request being routed: what it asks for, the best route found so far, and why others did not match. */
final class Lookup {

    final String host;
    final String path;
    final String method;
    private final HttpRequest request;
    private final InetSocketAddress peer;
    private final ClientAddresses clients;
    private Map<String, List<String>> query;
    private InetAddress client;

    Route best;
    RouteMatch bestMatch;
    boolean methodDiffered;
    boolean valuesDiffered;
    boolean ipDiffered;
    boolean requestDependent;
    /** Routes whose host and path matched and whose other conditions were tried. */
    int examined;

    Lookup(String host, String path, HttpRequest request, InetSocketAddress peer, ClientAddresses clients) {
        this.host = host;
        this.path = path;
        this.method = request.method().name();
        this.request = request;
        this.peer = peer;
        this.clients = clients;
    }

    /** The client address, worked out only when an IP filter asks. */
    InetAddress client() {
        if (client == null) {
            client = clients.clientOf(peer, request.headers());
        }
        return client;
    }

    /** Tries {@code routes} (ordered) until one matches or none can beat the best so far. */
    void scan(Route[] routes, boolean pathChecked) {
        for (Route route : routes) {
            if (best != null && route.order >= best.order) {
                return;
            }
            if (!route.hosts.matches(host) || (!pathChecked && !route.path.matches(path))) {
                continue;
            }
            examined++;
            RouteMatch match = route.evaluate(this);
            if (match != null) {
                best = route;
                bestMatch = match;
                return;
            }
        }
    }

    RouteMatch result() {
        if (bestMatch != null) {
            return bestMatch;
        }
        if (ipDiffered) {
            return RouteMatch.FORBIDDEN;
        }
        if (valuesDiffered) {
            return RouteMatch.BAD_REQUEST;
        }
        return methodDiffered ? RouteMatch.METHOD_NOT_ALLOWED : RouteMatch.NOT_FOUND;
    }

    String header(String name) {
        return request.headers().get(name);
    }

    /** The query is parsed on the first query condition only. */
    String query(String name) {
        if (query == null) {
            query = QueryParameters.of(request.uri());
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
