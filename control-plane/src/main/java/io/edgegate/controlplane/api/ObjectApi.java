package io.edgegate.controlplane.api;

import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.Member;
import io.edgegate.api.v1.DeleteResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.controlplane.secrets.Redaction;
import io.edgegate.api.v1.GetResponse;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.controlplane.config.ConfigCache;
import io.edgegate.controlplane.store.Store;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.ValidationMode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.time.Clock;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The API egctl uses: create, apply, get, list and delete objects. */
public final class ObjectApi extends ObjectServiceGrpc.ObjectServiceImplBase {

    private final ObjectReads reads;
    private final RequestDecoder decoder;
    private final ObjectWrites writes;

    public ObjectApi(Store store, ObjectReads reads, DocumentParser parser, ObjectDecoder objectDecoder, Clock clock,
                     ConfigCache config, Redaction redaction, Supplier<List<Member>> members) {
        this.reads = reads;
        this.decoder = new RequestDecoder(parser, objectDecoder, redaction);
        this.writes = new ObjectWrites(store, parser, clock, config, members);
    }

    @Override
    public void create(WriteRequest request, StreamObserver<WriteResponse> response) {
        Responder.respond(response, () -> write(request, true));
    }

    @Override
    public void apply(WriteRequest request, StreamObserver<WriteResponse> response) {
        Responder.respond(response, () -> write(request, false));
    }

    /** Documents with redaction markers are decoded with their stored objects' secrets put back; others as they are. */
    private CompletableFuture<WriteResponse> write(WriteRequest request, boolean createOnly) {
        List<RequestDecoder.ParsedDocument> parsed = decoder.parse(request.getDocumentsList());
        List<ObjectId> withMarkers = decoder.holdingMarkers(parsed);
        CompletableFuture<Map<ObjectId, ObjectNode>> stored = withMarkers.isEmpty()
                ? CompletableFuture.completedFuture(Map.of())
                : reads.storedTrees(withMarkers);
        Map<ObjectId, Long> expected = new java.util.HashMap<>();
        request.getExpectedRevisionsList().forEach(e -> expected.put(id(e.getKey()), e.getRevision()));
        return stored.thenCompose(trees -> writes.write(decoder.decode(parsed, mode(request), trees),
                createOnly, request.getDryRun(), expected)).thenApply(response -> request.getDryRun() ? reads.redacted(response) : response);
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> response) {
        Responder.respond(response, () -> reads.get(id(request.getKey()), reads.showSecrets(request.getShowSecrets())).thenApply(read -> {
            GetResponse.Builder out = GetResponse.newBuilder().setObject(read.value());
            read.staleReason().ifPresent(reason -> out.setStale(true).setStaleReason(reason));
            return out.build();
        }));
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        Responder.respond(response, () -> {
            Optional<ObjectKind> kind = request.getKind().isEmpty() ? Optional.empty() : Optional.of(kind(request.getKind()));
            return reads.list(kind, reads.showSecrets(request.getShowSecrets())).thenApply(read -> {
                ListResponse.Builder out = ListResponse.newBuilder().setRevision(read.revision()).addAllObjects(read.value());
                read.staleReason().ifPresent(reason -> out.setStale(true).setStaleReason(reason));
                return out.build();
            });
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
        Responder.respond(response, () -> {
            List<ObjectId> ids = new ArrayList<>();
            for (ObjectKey key : request.getKeysList()) {
                ids.add(id(key));
            }
            ids.addAll(decoder.identify(request.getDocumentsList()));
            if (ids.isEmpty()) {
                throw new ApiException(Status.Code.INVALID_ARGUMENT, "nothing to delete: give a kind and name, or documents");
            }
            return writes.delete(ids);
        });
    }

    public static ObjectId id(ObjectKey key) {
        if (key.getName().isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, "an object name is required");
        }
        return new ObjectId(kind(key.getKind()), key.getName());
    }

    public static ObjectKind kind(String typed) {
        return ObjectKind.lookup(typed).orElseThrow(() -> new ApiException(Status.Code.INVALID_ARGUMENT,
                "unknown kind '" + typed + "' (known kinds: " + String.join(", ", ObjectKind.kindNames()) + ")"));
    }

    private static ValidationMode mode(WriteRequest request) {
        return request.getValidation() == io.edgegate.api.v1.ValidationMode.WARN ? ValidationMode.WARN : ValidationMode.STRICT;
    }
}
