package io.edgegate.controlplane.secrets;

import io.edgegate.controlplane.store.StoreUnavailableException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.kv.TxnResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The redaction key under {@value #KEY} in etcd, created once with a guarded transaction. */
public final class EtcdRedactionKeyStore implements RedactionKeyStore {

    static final String KEY = "/edgegate/keys/redaction";

    private final Client client;
    private final Duration timeout;

    public EtcdRedactionKeyStore(Client client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public byte[] loadOrCreate() {
        ByteSequence key = ByteSequence.from(KEY, java.nio.charset.StandardCharsets.UTF_8);
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
            // Put if absent, and read what is there either way, in one transaction.
            TxnResponse response = client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                    .Then(Op.put(key, ByteSequence.from(fresh), PutOption.DEFAULT))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.isSucceeded()) {
                return fresh;
            }
            List<KeyValue> kvs = response.getGetResponses().get(0).getKvs();
            return kvs.get(0).getValue().getBytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading the redaction key", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("cannot read the redaction key from etcd: " + e, e);
        }
    }
}
