package io.edgegate.controlplane.api;

import io.edgegate.api.v1.DeleteRequest;
import io.edgegate.api.v1.DeleteResponse;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ListResponse;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.controlplane.ProtoMapping;
import io.edgegate.controlplane.store.Store;
import io.edgegate.controlplane.store.StoreSnapshot;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.ValidationMode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API egctl uses: create, apply, get, list and delete objects. */
public final class ObjectApi extends ObjectServiceGrpc.ObjectServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(ObjectApi.class);

    private final Store store;
    private final RequestDecoder decoder;
    private final ObjectWrites writes;

    public ObjectApi(Store store, DocumentParser parser, ObjectDecoder objectDecoder) {
        this.store = store;
        this.decoder = new RequestDecoder(parser, objectDecoder);
        this.writes = new ObjectWrites(store, parser);
    }

    @Override
    public void create(WriteRequest request, StreamObserver<WriteResponse> response) {
        respond(response, () -> writes.write(decoder.decode(request.getDocumentsList(), mode(request)), true, request.getDryRun()));
    }

    @Override
    public void apply(WriteRequest request, StreamObserver<WriteResponse> response) {
        respond(response, () -> writes.write(decoder.decode(request.getDocumentsList(), mode(request)), false, request.getDryRun()));
    }

    @Override
    public void get(GetRequest request, StreamObserver<StoredObject> response) {
        respond(response, () -> {
            ObjectId id = id(request.getKey());
            return store.read(List.of(id)).thenApply(result -> result.get(id).map(ProtoMapping::stored)
                    .orElseThrow(() -> new ApiException(Status.Code.NOT_FOUND, id + " not found")));
        });
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        respond(response, () -> {
            if (request.getKind().isEmpty()) {
                return store.loadAll().thenApply(ObjectApi::listResponse);
            }
            return store.list(kind(request.getKind())).thenApply(ObjectApi::listResponse);
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> response) {
        respond(response, () -> {
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

    private static ListResponse listResponse(StoreSnapshot snapshot) {
        return ListResponse.newBuilder()
                .setRevision(snapshot.revision())
                .addAllObjects(snapshot.objects().stream()
                        .sorted(Comparator.comparing(r -> r.id()))
                        .map(ProtoMapping::stored)
                        .toList())
                .build();
    }

    private static ObjectId id(ObjectKey key) {
        if (key.getName().isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, "an object name is required");
        }
        return new ObjectId(kind(key.getKind()), key.getName());
    }

    private static ObjectKind kind(String typed) {
        return ObjectKind.lookup(typed).orElseThrow(() -> new ApiException(Status.Code.INVALID_ARGUMENT,
                "unknown kind '" + typed + "' (known kinds: " + String.join(", ", ObjectKind.kindNames()) + ")"));
    }

    private static ValidationMode mode(WriteRequest request) {
        return request.getValidation() == io.edgegate.api.v1.ValidationMode.WARN ? ValidationMode.WARN : ValidationMode.STRICT;
    }

    /** Runs a call and maps its outcome (or failure) onto the gRPC response. */
    private static <T> void respond(StreamObserver<T> response, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((value, error) -> {
            if (error == null) {
                response.onNext(value);
                response.onCompleted();
            } else {
                response.onError(toStatus(error).asRuntimeException());
            }
        });
    }

    private static Status toStatus(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api) {
            return api.status();
        }
        if (cause instanceof StoreUnavailableException unavailable) {
            return Status.UNAVAILABLE.withDescription(unavailable.getMessage() + "; nothing was changed");
        }
        log.error("unexpected failure", cause);
        return Status.INTERNAL.withDescription("internal error: " + cause);
    }
}
