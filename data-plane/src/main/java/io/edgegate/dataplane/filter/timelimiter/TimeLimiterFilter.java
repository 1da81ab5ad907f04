package io.edgegate.dataplane.filter.timelimiter;

import io.edgegate.dataplane.match.UrlMatcher;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.timelimiter.TimeLimiterSpec;
import java.util.concurrent.CompletionStage;

/**
 * Sets the time limit for the upstream answer of a request its {@code urls} select; the Proxy enforces it
 * and, when this limit is what passed, answers as Easegress's TimeLimiter does: 408 with
 * {@code X-EG-Time-Limiter: timed-out}. Requests no rule selects go on without a limit of its, as in Easegress.
 */
final class TimeLimiterFilter implements Filter {

    private record Rule(UrlMatcher match, long timeoutNanos) {
    }

    private static final long NO_LIMIT = -1;

    private final Rule[] rules;

    TimeLimiterFilter(TimeLimiterSpec spec) {
        this.rules = spec.urls().stream()
                .map(u -> new Rule(UrlMatcher.of(u.match()), u.timeoutDuration().toNanos()))
                .toArray(Rule[]::new);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        long timeout = timeoutFor(context.request().method().name(), RequestTarget.matchingPath(RequestTarget.path(context.request().uri())));
        if (timeout == NO_LIMIT) {
            return FilterResults.success();
        }
        long due = System.nanoTime() + timeout;
        // Several limits on one request: the earliest wins.
        context.put(RequestKeys.DEADLINE_NANOS, Math.min(due, context.get(RequestKeys.DEADLINE_NANOS)));
        context.put(RequestKeys.TIME_LIMITER_DEADLINE_NANOS, Math.min(due, context.get(RequestKeys.TIME_LIMITER_DEADLINE_NANOS)));
        return FilterResults.success();
    }

    private long timeoutFor(String method, String path) {
        for (Rule rule : rules) {
            if (rule.match().matches(method, path)) {
                return rule.timeoutNanos();
            }
        }
        return NO_LIMIT;
    }
}
