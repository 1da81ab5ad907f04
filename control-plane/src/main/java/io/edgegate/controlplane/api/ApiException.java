package io.edgegate.controlplane.api;

import io.grpc.Status;

/** A refusal with the gRPC status egctl will show and a message a person can act on. */
public final class ApiException extends RuntimeException {

    private final Status.Code code;

    public ApiException(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    Status status() {
        return code.toStatus().withDescription(getMessage());
    }
}
