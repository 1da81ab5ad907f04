package io.edgegate.dataplane;

import io.edgegate.dataplane.runtime.LastGoodConfig;

/** Where the config this node serves came from, for /healthz: the control plane, or the last-good file. */
final class ConfigSource {

    private volatile String fromFile;

    void fromFile(LastGoodConfig.Saved saved) {
        fromFile = "last-good file (revision " + saved.revision() + ", saved " + saved.savedAt() + ")";
    }

    String describe(boolean connected, long appliedRevision) {
        if (connected) {
            return "control plane";
        }
        if (appliedRevision == 0) {
            return "none";
        }
        String file = fromFile;
        return file != null ? file : "control plane (disconnected; serving the last config it sent)";
    }
}
