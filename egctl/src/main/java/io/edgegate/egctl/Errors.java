package io.edgegate.egctl;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Turns gRPC failures into what a person needs to read. */
final class Errors {

    private Errors() {
    }

    static String describe(StatusRuntimeException e, String server) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> description.contains("etcd")
                    ? description
                    : "cannot reach the control plane at " + server + " (" + rootCause(e) + "); is it running? "
                            + "Set --server or EGCTL_SERVER";
            case DEADLINE_EXCEEDED -> "the control plane at " + server + " did not answer in time";
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> description;
            default -> status.getCode() + ": " + description;
        };
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
