package io.edgegate.controlplane;

import io.edgegate.controlplane.config.ConfigSnapshot;
import java.util.function.Consumer;

/**
 * Runs an action each time the store's epoch changes after the first: watches of other keys
 * (member records) wait for revisions of the old history that may never come, so they reload.
 */
final class EpochFollower implements Consumer<ConfigSnapshot> {

    private final Runnable onChange;
    private String epoch;

    EpochFollower(Runnable onChange) {
        this.onChange = onChange;
    }

    @Override
    public synchronized void accept(ConfigSnapshot snapshot) {
        String now = snapshot.epoch().id();
        if (epoch != null && !epoch.equals(now)) {
            onChange.run();
        }
        epoch = now;
    }
}
