package io.edgegate.egctl;

import io.grpc.Status;

/** A failure to report to the user as it is, followed by exit status 1; with the control plane's status code when it came from there. */
final class CommandFailure extends RuntimeException {

    private final Status.Code code;

    CommandFailure(String message) {
        this(message, Status.Code.UNKNOWN);
    }

    CommandFailure(String message, Status.Code code) {
        super(message, null, false, false);
        this.code = code;
    }

    Status.Code code() {
        return code;
    }
}
