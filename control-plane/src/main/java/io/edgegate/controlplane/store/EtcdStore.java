package io.edgegate.controlplane.store;

import io.edgegate.async.Causes;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.security.TlsFiles;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContextBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Store} on etcd through jetcd. Objects live under {@code /edgegate/objects/<Kind>/<name>}
 * as canonical JSON, gzip'd from 64 KiB on ({@link StoredValues}); an object's revision is its etcd
 * mod_revision.
 */
public final class EtcdStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(EtcdStore.class);
    static final String PREFIX = "/edgegate/objects/";
    /** The epoch marker: outside the objects' prefix, so it is never mistaken for config. */
    static final String EPOCH_KEY = "/edgegate/epoch";
    /**
     * Rewritten by every config write, in the same transaction: its mod revision is the newest
     * config change. It only moves forward in one history, whatever else (member records) is
     * written, so seeing it lower than before means the history went back.
     */
    static final String HEAD_KEY = "/edgegate/config-head";

    private final EpochCodec epochs = new EpochCodec();

    private final Client client;
    private final List<String> endpoints;
    private final Duration requestTimeout;

    public EtcdStore(Client client, List<String> endpoints, Duration requestTimeout) {
        this.client = client;
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = requestTimeout;
    }

    /**
     * A client that fails fast when etcd is down (a short retry for blips, no waiting for the
     * connection), so a write is refused in well under a second instead of hanging.
     */
    public static Client connect(List<String> endpoints) {
        return connect(endpoints, EtcdAccess.none());
    }

    /** As {@link #connect(List)}, over TLS and with a user when {@code access} says so. */
    public static Client connect(List<String> endpoints, EtcdAccess access) {
        ClientBuilder builder = Client.builder();
        if (access.tls()) {
            // Checked up front so a bad file fails the start naming it, not the first call with a TLS error.
            TlsFiles files = new TlsFiles(access.certificate(), access.key(), access.ca().get());
            files.load(java.time.Instant.now());
            try {
                SslContextBuilder tls = GrpcSslContexts.forClient().trustManager(access.ca().get().toFile());
                if (access.certificate().isPresent()) {
                    tls.keyManager(access.certificate().get().toFile(), access.key().get().toFile());
                }
                builder.sslContext(tls.build());
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalArgumentException("cannot use the etcd TLS files: " + e.getMessage(), e);
            }
        }
        if (access.user().isPresent()) {
            builder.user(ByteSequence.from(access.user().get(), UTF_8)).password(ByteSequence.from(password(access.passwordFile().get()), UTF_8));
        }
        return builder
                .endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(Duration.ofSeconds(1))
                .waitForReady(false)
                .retryMaxAttempts(2)
                .retryDelay(100)
                .retryMaxDelay(300)
                .retryMaxDuration(Duration.ofSeconds(1))
                // A whole config is read in one range: allow far more than gRPC's default 4 MiB.
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
    }

    private static String password(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file, UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the etcd password: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "etcd at " + String.join(",", endpoints);
    }

    @Override
    public CompletableFuture<StoreSnapshot> loadAll() {
        // One transaction of two reads: the objects and the marker at one revision.
        return timed(client.getKVClient().txn().Then(
                        Op.get(bytes(PREFIX), GetOption.builder().isPrefix(true).build()),
                        Op.get(bytes(EPOCH_KEY), GetOption.DEFAULT),
                        Op.get(bytes(HEAD_KEY), GetOption.DEFAULT)).commit())
                .thenApply(response -> {
                    List<GetResponse> reads = response.getGetResponses();
                    return new StoreSnapshot(response.getHeader().getRevision(), records(reads.get(0)),
                            response.getHeader().getClusterId(), marker(reads.get(1)), modRevision(reads.get(2)));
                });
    }

    @Override
    public CompletableFuture<StoreProbe> probe() {
        return timed(client.getKVClient().txn().Then(
                        Op.get(bytes(EPOCH_KEY), GetOption.DEFAULT),
                        Op.get(bytes(HEAD_KEY), GetOption.DEFAULT)).commit())
                .thenApply(response -> new StoreProbe(response.getHeader().getRevision(), response.getHeader().getClusterId(),
                        marker(response.getGetResponses().get(0)), modRevision(response.getGetResponses().get(1))));
    }

    private static long modRevision(GetResponse response) {
        return response.getKvs().isEmpty() ? 0 : response.getKvs().get(0).getModRevision();
    }

    @Override
    public CompletableFuture<Boolean> markEpoch(Epoch epoch, long expectedModRevision) {
        ByteSequence key = bytes(EPOCH_KEY);
        Cmp guard = expectedModRevision == 0
                ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
        return timed(client.getKVClient().txn().If(guard)
                .Then(Op.put(key, bytes(epochs.write(epoch)), PutOption.DEFAULT)).commit())
                .thenApply(TxnResponse::isSucceeded);
    }

    private Optional<EpochMarker> marker(GetResponse response) {
        if (response.getKvs().isEmpty()) {
            return Optional.empty();
        }
        KeyValue kv = response.getKvs().get(0);
        return epochs.read(kv.getValue().toString(UTF_8)).map(epoch -> new EpochMarker(epoch, kv.getModRevision()));
    }

    @Override
    public CompletableFuture<StoreSnapshot> list(ObjectKind kind) {
        return snapshot(PREFIX + kind.kindName() + "/");
    }

    private CompletableFuture<StoreSnapshot> snapshot(String prefix) {
        return timed(client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).build()))
                .thenApply(response -> new StoreSnapshot(response.getHeader().getRevision(), records(response)));
    }

    @Override
    public CompletableFuture<ReadResult> read(Collection<ObjectId> ids) {
        List<ObjectId> ordered = List.copyOf(ids);
        Op[] gets = ordered.stream().map(id -> (Op) Op.get(key(id), GetOption.DEFAULT)).toArray(Op[]::new);
        // A transaction of reads gives one consistent revision for all of them.
        return timed(client.getKVClient().txn().Then(gets).commit()).thenApply(response -> {
            Map<ObjectId, StoredRecord> found = new HashMap<>();
            List<GetResponse> results = response.getGetResponses();
            for (int i = 0; i < results.size(); i++) {
                records(results.get(i)).forEach(r -> found.put(r.id(), r));
            }
            return new ReadResult(response.getHeader().getRevision(), found);
        });
    }

    @Override
    public CompletableFuture<WriteOutcome> write(List<StoreWrite> writes) {
        List<Cmp> guards = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (StoreWrite write : writes) {
            ByteSequence key = key(write.id());
            if (write instanceof StoreWrite.Put put) {
                guards.add(put.expectedModRevision() == 0
                        ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
                        : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(put.expectedModRevision())));
                ops.add(Op.put(key, StoredValues.encode(put.json()), PutOption.DEFAULT));
            } else if (write instanceof StoreWrite.Delete delete) {
                guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(delete.expectedModRevision())));
                ops.add(Op.delete(key, DeleteOption.DEFAULT));
            } else {
                guards.add(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)));
            }
        }
        if (!ops.isEmpty()) {
            ops.add(Op.put(bytes(HEAD_KEY), bytes(Long.toString(System.currentTimeMillis())), PutOption.DEFAULT));
        }
        Txn txn = client.getKVClient().txn().If(guards.toArray(Cmp[]::new)).Then(ops.toArray(Op[]::new));
        return timed(txn.commit()).thenApply(
                (TxnResponse r) -> new WriteOutcome(r.isSucceeded(), r.getHeader().getRevision()));
    }

    @Override
    public AutoCloseable watch(long afterRevision, StoreListener listener) {
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(afterRevision + 1).build();
        Watch.Watcher watcher = client.getWatchClient().watch(bytes(PREFIX), option, Watch.listener(
                response -> changes(response).forEach(listener::onChange),
                error -> {
                    log.warn("watch on {} lost: {}", describe(), error.toString());
                    listener.onWatchLost(error);
                }));
        return watcher::close;
    }

    /** The client is shared and closed by its owner. */
    @Override
    public void close() {
    }

    /** Splits a watch response into one change per revision (a catching-up watch may carry several). */
    private static List<StoreChange> changes(WatchResponse response) {
        List<StoreChange> out = new ArrayList<>();
        long revision = -1;
        List<StoredRecord> puts = new ArrayList<>();
        List<ObjectId> deletes = new ArrayList<>();
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            Optional<ObjectId> id = parseKey(kv.getKey());
            if (id.isEmpty()) {
                continue;
            }
            if (revision != -1 && kv.getModRevision() != revision) {
                out.add(new StoreChange(revision, puts, deletes));
                puts = new ArrayList<>();
                deletes = new ArrayList<>();
            }
            revision = kv.getModRevision();
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                puts.add(new StoredRecord(id.get(), json(kv), kv.getModRevision(), kv.getCreateRevision()));
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                deletes.add(id.get());
            }
        }
        if (revision != -1) {
            out.add(new StoreChange(revision, puts, deletes));
        }
        return out;
    }

    private static List<StoredRecord> records(GetResponse response) {
        List<StoredRecord> out = new ArrayList<>(response.getKvs().size());
        for (KeyValue kv : response.getKvs()) {
            parseKey(kv.getKey()).ifPresent(id -> out.add(
                    new StoredRecord(id, json(kv), kv.getModRevision(), kv.getCreateRevision())));
        }
        return out;
    }

    /**
     * An object's JSON; for a value that cannot be read (written around the control plane), its
     * bytes as text. Nodes then refuse it as they refuse any malformed object and keep what they
     * run, and the object can still be listed, replaced or deleted. Failing instead would stop the
     * watch and every later load: one bad key would freeze the whole cluster's config.
     */
    private static String json(KeyValue kv) {
        try {
            return StoredValues.decode(kv.getValue());
        } catch (IllegalStateException e) {
            log.warn("{} in etcd cannot be read ({}); nodes are sent it as it is and refuse it until it is replaced or deleted",
                    kv.getKey().toString(UTF_8), e.getMessage());
            return kv.getValue().toString(UTF_8);
        }
    }

    static ByteSequence key(ObjectId id) {
        return bytes(PREFIX + id.kind().kindName() + "/" + id.name());
    }

    static Optional<ObjectId> parseKey(ByteSequence key) {
        String k = key.toString(UTF_8);
        if (!k.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = k.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        return ObjectKind.byKindName(rest.substring(0, slash)).map(kind -> new ObjectId(kind, rest.substring(slash + 1)));
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, UTF_8);
    }

    /** Bounds every call: an unreachable etcd must produce a clear error, not a hang. */
    private <T> CompletableFuture<T> timed(CompletableFuture<T> call) {
        return call.orTimeout(requestTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(unavailable(error)));
    }

    /** Bytes of a request etcd takes by default (its --max-request-bytes). */
    static final long ETCD_DEFAULT_MAX_REQUEST_BYTES = 1_572_864;

    private RuntimeException unavailable(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof StoreUnavailableException || cause instanceof StoreRefusedException) {
            return (RuntimeException) cause;
        }
        String message = String.valueOf(cause.getMessage());
        if (message.contains("request is too large") || message.contains("grpc: received message larger than max")) {
            // etcd answered (its own check, or its gRPC server's at --max-request-bytes + 512 KiB): not a lost connection.
            return new StoreRefusedException(describe() + " refused the change as too large: etcd takes at most its "
                    + "--max-request-bytes in one request (" + ETCD_DEFAULT_MAX_REQUEST_BYTES + " bytes unless set; the etcd "
                    + "deploy/local-cluster.sh and --etcd-data-dir start takes " + ManagedEtcdLimits.MAX_REQUEST_BYTES
                    + "); split the objects into several applies, or raise that limit", cause);
        }
        if (message.contains("too many operations in txn request")) {
            return new StoreRefusedException(describe() + " refused the change as too many operations for one transaction: "
                    + "etcd takes at most its --max-txn-ops in one (128 unless set; the etcd deploy/local-cluster.sh and "
                    + "--etcd-data-dir start takes " + ManagedEtcdLimits.MAX_TXN_OPS + "); apply fewer objects at once, "
                    + "or raise that limit", cause);
        }
        if (message.contains("database space exceeded")) {
            // etcd raised its NOSPACE alarm: it takes no write until its space is freed and the alarm cleared by hand.
            return new StoreRefusedException(describe() + " refused the change: its database is full (its --quota-backend-bytes, "
                    + "2 GiB unless set). Compact and defragment it (etcdctl compact, etcdctl defrag), then clear its alarm "
                    + "(etcdctl alarm disarm). Control planes compact its history every --etcd-compaction-interval unless it is 0", cause);
        }
        String why = cause instanceof TimeoutException
                ? "did not answer within " + requestTimeout.toMillis() + " ms"
                : "is unreachable (" + cause.getMessage() + ")";
        return new StoreUnavailableException(describe() + " " + why, cause);
    }
}
