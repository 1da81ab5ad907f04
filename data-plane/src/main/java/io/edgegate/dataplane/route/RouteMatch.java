package io.edgegate.dataplane.route;

import java.util.OptionalLong;

/**
 * The outcome of routing one request. Instances are built once per config (one per path and
 * header backend of the table, shared misses), so routing allocates no outcome.
 */
public final class RouteMatch {

    /** In Easegress's priority when nothing matched: 403 (IP filter), 400, 405, 404. */
    public enum Outcome { MATCHED, FORBIDDEN, BAD_REQUEST, METHOD_NOT_ALLOWED, NOT_FOUND }

    static final RouteMatch FORBIDDEN = new RouteMatch(Outcome.FORBIDDEN, null, null, OptionalLong.empty());
    static final RouteMatch NOT_FOUND = new RouteMatch(Outcome.NOT_FOUND, null, null, OptionalLong.empty());
    static final RouteMatch METHOD_NOT_ALLOWED =
            new RouteMatch(Outcome.METHOD_NOT_ALLOWED, null, null, OptionalLong.empty());
    static final RouteMatch BAD_REQUEST = new RouteMatch(Outcome.BAD_REQUEST, null, null, OptionalLong.empty());

    private final Outcome outcome;
    private final String backend;
    private final PathMatcher path;
    private final OptionalLong clientMaxBodySize;
    private final HeaderSetters setHeaders;

    RouteMatch(Outcome outcome, String backend, PathMatcher path, OptionalLong clientMaxBodySize) {
        this(outcome, backend, path, clientMaxBodySize, null);
    }

    RouteMatch(Outcome outcome, String backend, PathMatcher path, OptionalLong clientMaxBodySize, HeaderSetters setHeaders) {
        this.outcome = outcome;
        this.backend = backend;
        this.path = path;
        this.clientMaxBodySize = clientMaxBodySize;
        this.setHeaders = setHeaders;
    }

    /** The headers this route sets on the request (Easegress's setHeaders), or null. */
    public HeaderSetters setHeaders() {
        return setHeaders;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The pipeline name when {@link Outcome#MATCHED}. */
    public String backend() {
        return backend;
    }

    /** The body limit for this route: the path's own, else the server's. */
    public long clientMaxBodySize(long serverLimit) {
        return clientMaxBodySize.orElse(serverLimit);
    }

    /** The matched path's pathPrefix, or empty when it is not a prefix route. */
    public String pathPrefix() {
        return path != null && path.kind() == PathMatcher.Kind.PREFIX ? path.literal() : "";
    }

    /** Whether the matched path has a rewriteTarget. */
    public boolean rewrites() {
        return path != null && path.rewrites();
    }

    /** Whether the matched path's condition holds for {@code path} as well (the raw form of the path it matched). */
    public boolean pathMatches(String path) {
        return this.path == null || this.path.matches(path);
    }

    /** The path to forward for {@code requestPath}, which this route matched. */
    public String rewrite(String requestPath) {
        return path == null ? requestPath : path.rewrite(requestPath);
    }
}
