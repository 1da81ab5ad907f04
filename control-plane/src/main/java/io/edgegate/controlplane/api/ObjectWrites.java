package io.edgegate.controlplane.api;

import io.edgegate.api.v1.Action;
import io.edgegate.api.v1.DeleteResponse;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.store.ReadResult;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreWrite;
import io.edgegate.controlplane.store.StoredRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.customdata.CustomDataKindSpec;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import io.edgegate.spec.codec.DocumentParser;
import io.grpc.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;

/**
 * Turns validated objects into one guarded etcd transaction. The plan is made against a
 * consistent read; each write is guarded by the revision it was planned on, so a concurrent
 * change makes the transaction fail and the plan is made again, never half-applied.
 */
final class ObjectWrites {

    private static final int ATTEMPTS = 5;

    private final Store store;
    private final DocumentParser parser;
    private final Clock clock;
    private final ConfigCache config;
    private final CustomDataChanges customData;
    private final ListenerClashes clashes = new ListenerClashes();
    /** The nodes as recorded: what listeners they hold of their own. */
    private final Supplier<List<Member>> members;

    /**
     * @param config the config data planes are sent: its revision is what an unchanged object is
     *               waited for at (etcd's own revision also counts writes that are not config,
     *               such as member records, which no node would ever acknowledge), and it tells
     *               which store epoch a write landed in
     * @param members the nodes as recorded
     */
    ObjectWrites(Store store, DocumentParser parser, Clock clock, ConfigCache config, Supplier<List<Member>> members) {
        this.store = store;
        this.members = members;
        this.parser = parser;
        this.clock = clock;
        this.config = config;
        this.customData = new CustomDataChanges(parser);
    }

    /** {@code expected}: objects that must still be at these revisions (their modification revisions), or nothing is written. */
    CompletableFuture<WriteResponse> write(List<DecodedDocument> documents, boolean createOnly, boolean dryRun,
                                           Map<ObjectId, Long> expected) {
        Set<ObjectId> written = new HashSet<>();
        documents.forEach(d -> written.add(d.object().id()));
        for (ObjectId id : expected.keySet()) {
            if (!written.contains(id)) {
                // Only what is written is guarded in the transaction; a revision of anything else could change meanwhile.
                throw new ApiException(Status.Code.INVALID_ARGUMENT, "an expected revision names " + id
                        + ", which this request does not write; expected revisions may only name objects it writes");
            }
        }
        return attemptWrite(documents, createOnly, dryRun, expected, 1);
    }

    /** The GlobalFilters the servers written name, other than those written with them. */
    private static Set<ObjectId> globalFiltersNamed(List<DecodedDocument> documents) {
        Set<ObjectId> named = new LinkedHashSet<>();
        for (DecodedDocument d : documents) {
            if (d.object().spec() instanceof HttpServerSpec server) {
                server.globalFilter().ifPresent(name -> named.add(new ObjectId(ObjectKind.GLOBAL_FILTER, name)));
            }
        }
        documents.forEach(d -> named.remove(d.object().id()));
        return named;
    }

    /**
     * A server naming a GlobalFilter that does not exist serves its requests without one, as Easegress does: said
     * at the write, since an authentication step an operator counted on would be silently missing.
     */
    private static List<String> missingGlobalFilters(List<DecodedDocument> documents, Set<ObjectId> named,
                                                     java.util.function.Function<ObjectId, Optional<StoredRecord>> stored) {
        List<String> warnings = new ArrayList<>();
        for (DecodedDocument d : documents) {
            if (d.object().spec() instanceof HttpServerSpec server && server.globalFilter().isPresent()) {
                ObjectId filter = new ObjectId(ObjectKind.GLOBAL_FILTER, server.globalFilter().get());
                if (named.contains(filter) && stored.apply(filter).isEmpty()) {
                    warnings.add(d.source().label() + " (" + d.object().id() + "): globalFilter names " + filter
                            + ", which does not exist: its requests run without it until it is created");
                }
            }
        }
        return warnings;
    }

    private CompletableFuture<WriteResponse> attemptWrite(List<DecodedDocument> documents, boolean createOnly,
                                                          boolean dryRun, Map<ObjectId, Long> expected, int attempt) {
        Set<ObjectId> toRead = new LinkedHashSet<>();
        for (DecodedDocument d : documents) {
            ObjectId id = d.object().id();
            toRead.add(id);
            id.kind().sharesNamesWith().ifPresent(other -> toRead.add(new ObjectId(other, id.name())));
            if (id.kind() == ObjectKind.CUSTOM_DATA) {
                toRead.add(new ObjectId(ObjectKind.CUSTOM_DATA_KIND, id.name()));
            }
        }
        toRead.addAll(expected.keySet());
        Set<ObjectId> globalFiltersNamed = globalFiltersNamed(documents);
        toRead.addAll(globalFiltersNamed);
        Map<String, CustomDataKindSpec> kindsWritten = new HashMap<>();
        documents.stream().filter(d -> d.object().spec() instanceof CustomDataKindSpec)
                .forEach(d -> kindsWritten.put(d.object().id().name(), (CustomDataKindSpec) d.object().spec()));
        CompletableFuture<List<StoredRecord>> servers = ListenerClashes.writesServer(documents)
                ? store.list(ObjectKind.HTTP_SERVER).thenApply(snapshot -> snapshot.objects())
                : CompletableFuture.completedFuture(List.of());
        return servers.thenCompose(stored -> {
            clashes.check(documents, stored, members);
            return store.read(toRead);
        }).thenCompose(current -> {
            List<StoreWrite> writes = new ArrayList<>();
            WriteResponse.Builder response = WriteResponse.newBuilder()
                    .addAllWarnings(RequestDecoder.warnings(documents))
                    .addAllWarnings(missingGlobalFilters(documents, globalFiltersNamed, current::get));
            unchangedSinceRead(expected, current);
            for (DecodedDocument d : documents) {
                ObjectId id = d.object().id();
                Optional<StoredRecord> existing = current.get(id);
                ObjectNode document = d.object().document();
                if (d.object().spec() instanceof CustomDataSpec data) {
                    Optional<CustomDataKindSpec> kind = Optional.ofNullable(kindsWritten.get(id.name()))
                            .or(() -> current.get(new ObjectId(ObjectKind.CUSTOM_DATA_KIND, id.name())).map(customData::kindOf));
                    document = customData.resolve(d.source().label(), data, document, kind, existing);
                }
                String json = parser.toJson(document);
                if (id.kind().sharesNamesWith().isPresent()) {
                    ObjectId other = new ObjectId(id.kind().sharesNamesWith().get(), id.name());
                    if (current.get(other).isPresent()) {
                        throw new ApiException(Status.Code.FAILED_PRECONDITION, d.source().label() + ": cannot write " + id
                                + " because " + other + " exists; " + id.kind().sharedNamesReason() + " (delete " + other + " first)");
                    }
                    writes.add(new StoreWrite.Absent(other));
                }
                Action action;
                if (existing.isEmpty()) {
                    action = Action.CREATED;
                    writes.add(new StoreWrite.Put(id, json, 0));
                } else if (createOnly) {
                    throw new ApiException(Status.Code.ALREADY_EXISTS, d.source().label() + ": " + id
                            + " already exists (use 'egctl apply' to change it)");
                } else if (existing.get().json().equals(json)) {
                    action = Action.UNCHANGED;
                } else {
                    action = Action.CONFIGURED;
                    writes.add(new StoreWrite.Put(id, json, existing.get().modRevision()));
                }
                ObjectResult.Builder result = ObjectResult.newBuilder().setKey(ProtoMapping.key(id)).setAction(action);
                if (dryRun) {
                    result.setJson(json);
                    existing.ifPresent(stored -> result.setStoredJson(stored.json()));
                }
                response.addResults(result);
            }
            boolean changes = writes.stream().anyMatch(w -> !(w instanceof StoreWrite.Absent));
            if (dryRun || !changes) {
                // Nothing written: the revision to wait for is the one that already carries these objects, not the
                // config's latest, which a node may have refused for another object's sake.
                long newestObject = current.found().values().stream().mapToLong(StoredRecord::modRevision).max().orElse(0);
                var snapshot = config.current();
                return CompletableFuture.completedFuture(response
                        .setRevision(newestObject > 0 ? newestObject : snapshot.revision())
                        .setEpoch(snapshot.epoch().id())
                        .setCommittedAtMillis(clock.millis()).build());
            }
            long floor = config.revisionFloor();
            return store.write(writes).thenCompose(outcome -> {
                if (outcome.committed()) {
                    long committedAt = clock.millis();
                    // A write into a history that went back waits for the epoch that history gets.
                    return config.epochOfWrite(outcome.revision(), floor).thenApply(epoch -> response.setRevision(outcome.revision())
                            .setEpoch(epoch.id()).setCommittedAtMillis(committedAt).build());
                }
                return retry(attempt, () -> attemptWrite(documents, createOnly, dryRun, expected, attempt + 1));
            });
        });
    }

    /**
     * Refuses a write planned on a read that is out of date. The plan's guards are these same
     * revisions, so an object changed between this check and the write fails the transaction too,
     * and the retry stops here.
     */
    private static void unchangedSinceRead(Map<ObjectId, Long> expected, ReadResult current) {
        for (Map.Entry<ObjectId, Long> e : expected.entrySet()) {
            long now = current.get(e.getKey()).map(StoredRecord::modRevision).orElse(0L);
            if (now != e.getValue()) {
                throw new ApiException(Status.Code.ABORTED, e.getKey() + " changed since it was read at revision " + e.getValue()
                        + (now == 0 ? " (it was deleted)" : " (it is at revision " + now + " now)") + "; nothing was written");
            }
        }
    }

    CompletableFuture<DeleteResponse> delete(List<ObjectId> ids) {
        return attemptDelete(List.copyOf(new LinkedHashSet<>(ids)), 1);
    }

    private CompletableFuture<DeleteResponse> attemptDelete(List<ObjectId> ids, int attempt) {
        List<ObjectId> dataOfKinds = ids.stream().filter(id -> id.kind() == ObjectKind.CUSTOM_DATA_KIND)
                .map(id -> new ObjectId(ObjectKind.CUSTOM_DATA, id.name())).filter(data -> !ids.contains(data)).toList();
        List<ObjectId> toRead = new ArrayList<>(ids);
        toRead.addAll(dataOfKinds);
        return store.read(toRead).thenCompose((ReadResult current) -> {
            List<StoreWrite> writes = new ArrayList<>();
            DeleteResponse.Builder response = DeleteResponse.newBuilder();
            List<String> missing = new ArrayList<>();
            for (ObjectId id : ids) {
                Optional<StoredRecord> existing = current.get(id);
                if (existing.isEmpty()) {
                    missing.add(id + " not found");
                    continue;
                }
                writes.add(new StoreWrite.Delete(id, existing.get().modRevision()));
                response.addResults(ObjectResult.newBuilder().setKey(ProtoMapping.key(id)).setAction(Action.DELETED));
            }
            if (!missing.isEmpty()) {
                throw new ApiException(Status.Code.NOT_FOUND, String.join("; ", missing) + " (nothing was deleted)");
            }
            // A kind goes with its records, as Easegress deletes a kind's data with it.
            for (ObjectId data : dataOfKinds) {
                current.get(data).ifPresent(existing -> {
                    writes.add(new StoreWrite.Delete(data, existing.modRevision()));
                    response.addResults(ObjectResult.newBuilder().setKey(ProtoMapping.key(data)).setAction(Action.DELETED));
                });
            }
            return store.write(writes).thenCompose(outcome -> {
                if (outcome.committed()) {
                    return CompletableFuture.completedFuture(response.setRevision(outcome.revision()).build());
                }
                return retry(attempt, () -> attemptDelete(ids, attempt + 1));
            });
        });
    }

    private static <T> CompletableFuture<T> retry(int attempt, java.util.function.Supplier<CompletableFuture<T>> again) {
        if (attempt >= ATTEMPTS) {
            return CompletableFuture.failedFuture(new ApiException(Status.Code.ABORTED,
                    "the objects kept changing underneath this request; try again"));
        }
        return again.get();
    }
}
