package io.edgegate.dataplane;

import io.edgegate.dataplane.runtime.LastGoodConfig;

/** Where the config this node serves came from, for /healthz: the control plane, or the last-good file. */
final class ConfigSource {

    private volatile LastGoodConfig.Saved fromFile;

    void fromFile(LastGoodConfig.Saved saved) {
        fromFile = saved;
    }

    /** The file's config is what runs until a control plane's config of another revision replaced it. */
    String describe(boolean connected, String appliedEpoch, long appliedRevision) {
        if (connected) {
            return "control plane";
        }
        if (appliedRevision == 0) {
            return "none";
        }
        LastGoodConfig.Saved file = fromFile;
        if (file != null && file.revision() == appliedRevision && file.epoch().equals(appliedEpoch)) {
            return "last-good file (revision " + file.revision() + ", saved " + file.savedAt() + ")";
        }
        return "control plane (disconnected; serving the last config it sent)";
    }
}
