package io.edgegate.dataplane.runtime;

import io.edgegate.api.v1.ObjectLiveStatus;
import java.util.List;

/** What a node's objects report of themselves, read from one runtime together with the config it runs. */
public record LiveState(String epoch, long revision, List<ObjectLiveStatus> objects) {

    public LiveState {
        objects = List.copyOf(objects);
    }
}
