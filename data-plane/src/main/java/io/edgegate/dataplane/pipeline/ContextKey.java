package io.edgegate.dataplane.pipeline;

/**
 * The name and type of a value one filter hands to later ones through the {@link RequestContext}
 * (e.g. a Validator's JWT claims for a RateLimiter). Keys compare by identity: declare each once,
 * as a constant ({@link RequestKeys}). {@code whenAbsent} is what a request that was never given
 * the value reads, so readers need no null checks.
 */
public final class ContextKey<T> {

    private final String name;
    private final T whenAbsent;

    private ContextKey(String name, T whenAbsent) {
        this.name = name;
        this.whenAbsent = whenAbsent;
    }

    public static <T> ContextKey<T> named(String name, T whenAbsent) {
        return new ContextKey<>(name, whenAbsent);
    }

    T whenAbsent() {
        return whenAbsent;
    }

    @Override
    public String toString() {
        return name;
    }
}
