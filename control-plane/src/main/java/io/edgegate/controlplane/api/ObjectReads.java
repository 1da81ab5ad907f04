package io.edgegate.controlplane.api;

import io.edgegate.async.Causes;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.config.ConfigSnapshot;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.grpc.Status;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.controlplane.secrets.Redaction;
import io.edgegate.controlplane.security.Caller;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads objects from etcd; when etcd cannot be reached, answers from this replica's cached
 * view instead and says that the answer may be stale, so operators can still see what the
 * cluster runs during an etcd outage.
 */
public final class ObjectReads {

    private final Store store;
    private final ConfigCache cache;
    private final DocumentParser parser = new DocumentParser();
    private final Redaction redaction;
    private final boolean authenticated;

    /** @param authenticated whether calls carry a caller (a secure control plane): then only an admin sees secrets */
    public ObjectReads(Store store, ConfigCache cache, Redaction redaction, boolean authenticated) {
        this.store = store;
        this.cache = cache;
        this.redaction = redaction;
        this.authenticated = authenticated;
    }

    /**
     * Whether an answer may hold secrets: only when asked for, and only for an admin (on a control
     * plane run with --insecure, which has no roles, for anyone). A secure control plane that finds
     * no caller on a call refuses: a lost context must never show secrets. Checked when the call starts.
     */
    public boolean showSecrets(boolean requested) {
        if (!requested) {
            return false;
        }
        Optional<Caller> caller = Caller.current();
        boolean admin = caller.map(c -> c.role().allows(io.edgegate.controlplane.security.Role.ADMIN)).orElse(!authenticated);
        if (!admin) {
            String role = caller.map(c -> c.role().label()).orElse("an unknown caller");
            throw new ApiException(Status.Code.PERMISSION_DENIED, "role " + role + " cannot show secrets (needs admin)");
        }
        if (!io.edgegate.controlplane.security.CallAuthorization.tokenCheckedNow()) {
            throw new ApiException(Status.Code.UNAVAILABLE, "secrets are shown only to a token checked against etcd, and etcd is "
                    + "unreachable; ask without --show-secrets, or once etcd is back");
        }
        return true;
    }

    public CompletableFuture<Read<StoredObject>> get(ObjectId id, boolean showSecrets) {
        return get(id).thenApply(read -> new Read<>(visible(read.value(), showSecrets), read.revision(), read.staleReason()));
    }

    public CompletableFuture<Read<List<StoredObject>>> list(Optional<ObjectKind> kind, boolean showSecrets) {
        return list(kind).thenApply(read -> new Read<>(read.value().stream().map(o -> visible(o, showSecrets)).toList(),
                read.revision(), read.staleReason()));
    }

    /** The stored documents of these objects, with their secrets (for putting back redacted ones); absent objects are left out. */
    public CompletableFuture<Map<ObjectId, ObjectNode>> storedTrees(List<ObjectId> ids) {
        return store.read(ids).thenApply(result -> {
            Map<ObjectId, ObjectNode> trees = new HashMap<>();
            for (ObjectId id : ids) {
                result.get(id).ifPresent(record -> trees.put(id, tree(id.toString(), record.json())));
            }
            return trees;
        });
    }

    /** A dry run's response with the documents it carries redacted as {@link #get} shows them (never their secrets). */
    WriteResponse redacted(WriteResponse response) {
        WriteResponse.Builder out = response.toBuilder();
        for (ObjectResult.Builder result : out.getResultsBuilderList()) {
            Optional<ObjectKind> kind = ObjectKind.byKindName(result.getKey().getKind());
            if (kind.isPresent() && !result.getJson().isEmpty()) {
                result.setJson(parser.toJson(redaction.fields().redact(kind.get(), tree(named(result.getKey()), result.getJson()))));
            }
            if (kind.isPresent() && !result.getStoredJson().isEmpty()) {
                result.setStoredJson(parser.toJson(redaction.fields().redact(kind.get(), tree(named(result.getKey()), result.getStoredJson()))));
            }
        }
        return out.build();
    }

    private StoredObject visible(StoredObject object, boolean showSecrets) {
        if (showSecrets) {
            return object;
        }
        Optional<ObjectKind> kind = ObjectKind.byKindName(object.getKey().getKind());
        if (kind.isEmpty()) {
            return object;
        }
        ObjectNode redacted = redaction.fields().redact(kind.get(), tree(named(object.getKey()), object.getJson()));
        return object.toBuilder().setJson(parser.toJson(redacted)).build();
    }

    /** A stored object's tree; one written into etcd by hand as no JSON object is named, with the way out. */
    private ObjectNode tree(String object, String json) {
        try {
            return parser.parseJson(json);
        } catch (SpecException e) {
            throw new ApiException(Status.Code.FAILED_PRECONDITION, object + " as stored in etcd cannot be read ("
                    + e.getMessage() + "); replace it with egctl apply or remove it with egctl delete");
        }
    }

    private static String named(ObjectKey key) {
        return key.getKind() + "/" + key.getName();
    }

    /** A read's answer, and why it may be stale (empty when it came from etcd). */
    public record Read<T>(T value, long revision, Optional<String> staleReason) {
    }

    private CompletableFuture<Read<StoredObject>> get(ObjectId id) {
        return store.read(List.of(id))
                .thenApply(result -> new Read<>(result.get(id).map(ProtoMapping::stored)
                        .orElseThrow(() -> notFound(id)), result.revision(), Optional.<String>empty()))
                .exceptionallyCompose(error -> fromCache(error, snapshot -> Optional.ofNullable(snapshot.objects().get(id))
                        .orElseThrow(() -> notFound(id))));
    }

    /** Every object of {@code kind}, or of every kind when empty; sorted by kind and name. */
    private CompletableFuture<Read<List<StoredObject>>> list(Optional<ObjectKind> kind) {
        var load = kind.isPresent() ? store.list(kind.get()) : store.loadAll();
        return load.thenApply(snapshot -> new Read<>(snapshot.objects().stream()
                        .sorted(Comparator.comparing(r -> r.id()))
                        .map(ProtoMapping::stored)
                        .toList(), snapshot.revision(), Optional.<String>empty()))
                .exceptionallyCompose(error -> fromCache(error, snapshot -> snapshot.objects().entrySet().stream()
                        .filter(e -> kind.isEmpty() || e.getKey().kind() == kind.get())
                        .sorted(java.util.Map.Entry.comparingByKey())
                        .map(java.util.Map.Entry::getValue)
                        .toList()));
    }

    private <T> CompletableFuture<Read<T>> fromCache(Throwable error, java.util.function.Function<ConfigSnapshot, T> answer) {
        Throwable cause = Causes.unwrap(error);
        if (!(cause instanceof StoreUnavailableException unavailable) || !cache.isReady()) {
            return CompletableFuture.failedFuture(cause);
        }
        ConfigSnapshot snapshot = cache.current();
        String reason = unavailable.getMessage() + "; this is the control plane's cached view at revision "
                + snapshot.revision() + " and may be stale";
        try {
            return CompletableFuture.completedFuture(new Read<>(answer.apply(snapshot), snapshot.revision(), Optional.of(reason)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static ApiException notFound(ObjectId id) {
        return new ApiException(Status.Code.NOT_FOUND, id + " not found");
    }
}
