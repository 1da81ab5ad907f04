package io.edgegate.dataplane.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's one reference to what it serves. Listeners, custom data and registry views read
 * through it; only the {@link RuntimeUpdater} swaps it, once per applied config.
 */
public final class CurrentRuntime {

    private final AtomicReference<NodeRuntime> runtime = new AtomicReference<>(NodeRuntime.EMPTY);

    public NodeRuntime get() {
        return runtime.get();
    }

    /** Puts {@code next} in service; cannot fail. */
    NodeRuntime swap(NodeRuntime next) {
        return runtime.getAndSet(next);
    }
}
