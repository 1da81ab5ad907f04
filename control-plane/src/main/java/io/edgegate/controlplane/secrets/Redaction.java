package io.edgegate.controlplane.secrets;

import io.edgegate.controlplane.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The secret fields of this replica: keyless until the cluster's redaction key was read, then under it. */
public final class Redaction {

    private static final Logger log = LoggerFactory.getLogger(Redaction.class);

    private volatile SecretFields fields = SecretFields.keyless();

    /** A key of this process only, for a control plane whose store lives in its memory. */
    public static RedactionKeyStore inMemory() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return () -> key.clone();
    }

    public SecretFields fields() {
        return fields;
    }

    /** Reads the key now, or keeps trying in the background while the store does not answer. */
    public void load(RedactionKeyStore store, ScheduledExecutorService scheduler) {
        try {
            fields = SecretFields.withKey(store.loadOrCreate());
        } catch (StoreUnavailableException e) {
            log.warn("cannot read the redaction key yet ({}); secrets read <redacted> until it is", e.getMessage());
            scheduler.schedule(() -> load(store, scheduler), 2, TimeUnit.SECONDS);
        }
    }
}
