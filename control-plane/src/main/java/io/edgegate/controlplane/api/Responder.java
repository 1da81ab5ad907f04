package io.edgegate.controlplane.api;

import io.edgegate.async.Causes;
import io.edgegate.controlplane.store.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Completes a unary gRPC call from an asynchronous result, mapping failures to statuses people can act on. */
public final class Responder {

    private static final Logger log = LoggerFactory.getLogger(Responder.class);

    private Responder() {
    }

    public static <T> void respond(StreamObserver<T> response, Supplier<CompletableFuture<T>> call) {
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

    static Status toStatus(Throwable error) {
        Throwable cause = Causes.unwrap(error);
        if (cause instanceof ApiException api) {
            return api.status();
        }
        if (cause instanceof io.edgegate.controlplane.store.StoreRefusedException refused) {
            return Status.RESOURCE_EXHAUSTED.withDescription(refused.getMessage() + "; nothing was changed");
        }
        if (cause instanceof StoreUnavailableException unavailable) {
            return Status.UNAVAILABLE.withDescription(unavailable.getMessage() + "; nothing was changed");
        }
        log.error("unexpected failure", cause);
        return Status.INTERNAL.withDescription("internal error: " + cause);
    }
}
