package io.edgegate.controlplane.secrets;

/** Where the cluster's redaction key lives, so every replica prints (and reads back) the same markers. Calls may block. */
public interface RedactionKeyStore {

    /** The key, made (32 random bytes) if there is none yet; of several replicas making one at once, one wins. */
    byte[] loadOrCreate();
}
