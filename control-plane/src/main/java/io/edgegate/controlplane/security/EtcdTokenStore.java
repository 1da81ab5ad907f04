package io.edgegate.controlplane.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tokens under {@value #PREFIX} in etcd, one key per name: every replica sees a revocation at once. */
public final class EtcdTokenStore implements TokenStore {

    static final String PREFIX = "/edgegate/tokens/";
    private static final Logger log = LoggerFactory.getLogger(EtcdTokenStore.class);

    private final Client client;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public EtcdTokenStore(Client client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public boolean create(TokenRecord token) {
        ByteSequence key = key(token.name());
        return await(client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, ByteSequence.from(write(token), UTF_8), PutOption.DEFAULT))
                .commit()).isSucceeded();
    }

    @Override
    public Optional<TokenRecord> find(String name) {
        List<KeyValue> kvs = await(client.getKVClient().get(key(name))).getKvs();
        return kvs.isEmpty() ? Optional.empty() : read(kvs.get(0));
    }

    @Override
    public List<TokenRecord> list() {
        List<TokenRecord> tokens = new ArrayList<>();
        for (KeyValue kv : await(client.getKVClient().get(ByteSequence.from(PREFIX, UTF_8),
                GetOption.builder().isPrefix(true).build())).getKvs()) {
            read(kv).ifPresent(tokens::add);
        }
        return tokens;
    }

    @Override
    public boolean delete(String name) {
        return await(client.getKVClient().delete(key(name))).getDeleted() > 0;
    }

    /** Compares the stored bytes with the record as this class writes it: a record written otherwise is left alone. */
    @Override
    public boolean deleteIfUnchanged(TokenRecord token) {
        ByteSequence key = key(token.name());
        return await(client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(ByteSequence.from(write(token), UTF_8))))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .commit()).isSucceeded();
    }

    private static ByteSequence key(String name) {
        return ByteSequence.from(PREFIX + name, UTF_8);
    }

    private String write(TokenRecord token) {
        try {
            return json.writeValueAsString(token);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A token record; none for one that cannot be read (written around the control plane): it
     * authenticates nobody, and one bad key must not fail every login, listing or the start.
     */
    private Optional<TokenRecord> read(KeyValue kv) {
        String key = kv.getKey().toString(UTF_8);
        try {
            TokenRecord token = json.readValue(kv.getValue().toString(UTF_8), TokenRecord.class);
            if (token != null && token.name() != null && token.role() != null && token.secretSha256() != null) {
                return Optional.of(token);
            }
            log.warn("ignoring token record {}: it lacks its name, role or secret hash", key);
        } catch (JsonProcessingException e) {
            log.warn("ignoring unreadable token record {}: {}", key, e.getOriginalMessage());
        }
        return Optional.empty();
    }

    private <T> T await(CompletableFuture<T> call) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading tokens from etcd", e);
        } catch (ExecutionException | TimeoutException e) {
            call.cancel(true);
            throw new StoreUnavailableException("etcd did not answer about tokens: " + e, e);
        }
    }
}
