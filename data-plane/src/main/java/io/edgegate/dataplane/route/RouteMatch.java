package io.edgegate.dataplane.route;

/**
 * The outcome of routing one request. Instances are built once per config (one per path of
 * the table, two shared misses), so routing allocates nothing.
 */
public final class RouteMatch {

    public enum Outcome { MATCHED, NOT_FOUND, METHOD_NOT_ALLOWED }

    static final RouteMatch NOT_FOUND = new RouteMatch(Outcome.NOT_FOUND, null);
    static final RouteMatch METHOD_NOT_ALLOWED = new RouteMatch(Outcome.METHOD_NOT_ALLOWED, null);

    private final Outcome outcome;
    private final String backend;

    RouteMatch(Outcome outcome, String backend) {
        this.outcome = outcome;
        this.backend = backend;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The pipeline name when {@link Outcome#MATCHED}. */
    public String backend() {
        return backend;
    }
}
