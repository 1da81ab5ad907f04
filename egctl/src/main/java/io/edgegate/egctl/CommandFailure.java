package io.edgegate.egctl;

/** A failure to report to the user as it is, followed by exit status 1. */
final class CommandFailure extends RuntimeException {

    CommandFailure(String message) {
        super(message, null, false, false);
    }
}
