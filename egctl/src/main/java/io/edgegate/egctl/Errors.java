package io.edgegate.egctl;

import io.edgegate.async.Causes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/** Turns gRPC failures into what a person needs to read. */
final class Errors {

    private Errors() {
    }

    static String describe(StatusRuntimeException e, Connection connection) {
        Status status = e.getStatus();
        String server = connection.server();
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> description.contains("etcd") ? description : unreachable(e, connection);
            case DEADLINE_EXCEEDED -> "the control plane at " + server + " did not answer in time";
            case UNAUTHENTICATED -> "unauthenticated: " + description;
            case PERMISSION_DENIED -> "permission denied: " + description;
            case INVALID_ARGUMENT -> description.contains("unknown field '")
                    // Easegress ignores fields it does not know; we refuse them, and say how to migrate.
                    ? description + "\n(Easegress ignores fields it does not know: --validate=warn applies the object without "
                            + "them and lists each one)"
                    : description;
            case NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED, RESOURCE_EXHAUSTED -> description;
            default -> status.getCode() + ": " + description;
        };
    }

    /** Most TLS mistakes surface as "unavailable"; name the one it was. */
    private static String unreachable(StatusRuntimeException e, Connection connection) {
        String server = connection.server();
        String causes = Causes.chain(e).toLowerCase(Locale.ROOT);
        if (causes.contains("certificateexpiredexception")) {
            // The JDK says "PKIX path validation failed" for an expired certificate too: the CA is not what is wrong.
            return "the certificate of the control plane at " + server + " has expired (" + rootCause(e) + "); renew it, "
                    + "or restart a control plane that makes its own (it renews it as it starts)";
        }
        if (causes.contains("pkix path") || causes.contains("unable to find valid certification path")) {
            return "cannot verify the certificate of the control plane at " + server + ": it is not signed by "
                    + connection.ca().map(ca -> "a CA in " + ca).orElse("a CA this machine trusts")
                    + "; give the cluster CA with --ca, EGCTL_CA or an egctl context";
        }
        if (causes.contains("no subject alternative") || causes.contains("no name matching")) {
            return "the certificate of the control plane at " + server + " does not name that address; connect to a name it has";
        }
        if (causes.contains("not an ssl/tls record") || causes.contains("ssl") && connection.insecure() == false
                && causes.contains("handshake")) {
            return "the TLS handshake with the control plane at " + server + " failed (" + rootCause(e)
                    + "); if it was started with --insecure, give --insecure too";
        }
        if (QuickReadChannel.CONNECT_TIMEOUT_MESSAGE.equals(e.getStatus().getDescription())) {
            return "no answer from " + server + " (" + QuickReadChannel.CONNECT_TIMEOUT_MESSAGE + ": neither a connection nor "
                    + "its TLS handshake completed); is a control plane's gRPC port there (its --listen)? Set --server or EGCTL_SERVER.";
        }
        String hint = connection.insecure() ? " If the control plane uses TLS (the default), drop --insecure." : "";
        return "cannot reach the control plane at " + server + " (" + rootCause(e) + "); is it running? "
                + "Set --server or EGCTL_SERVER." + hint;
    }


    private static String rootCause(Throwable e) {
        Throwable t = Causes.root(e);
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
