package io.edgegate.dataplane.tracing;

import io.edgegate.dataplane.upstream.UpstreamException;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** The CLIENT span of one request sent upstream; ends when the upstream's answer (or the failure) arrives. */
public final class UpstreamSpan {

    static final UpstreamSpan NONE = new UpstreamSpan(null);

    private final Span span;

    UpstreamSpan(Span span) {
        this.span = span;
    }

    /** Ends the span with the outcome of {@code sent}: the upstream's status, or the kind of failure. */
    public void follow(CompletableFuture<UpstreamResponse> sent) {
        if (span == null) {
            return;
        }
        sent.whenComplete((response, error) -> {
            if (error == null) {
                int status = response.head().status().code();
                span.setAttribute(SemanticKeys.HTTP_RESPONSE_STATUS_CODE, status);
                if (status >= 400) {
                    span.setStatus(StatusCode.ERROR);
                    span.setAttribute(SemanticKeys.ERROR_TYPE, Integer.toString(status));
                }
            } else {
                span.setStatus(StatusCode.ERROR, error.getMessage() == null ? "" : error.getMessage());
                span.setAttribute(SemanticKeys.ERROR_TYPE, errorType(error));
            }
            span.end();
        });
    }

    private static String errorType(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            return "cancelled";
        }
        if (cause instanceof TimeoutException) {
            return "timeout";
        }
        if (cause instanceof UpstreamException u) {
            return u.connectFailed() ? "connect" : "upstream";
        }
        return cause.getClass().getName();
    }
}
