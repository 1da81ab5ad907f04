package io.edgegate.dataplane.filter.timelimiter;

import io.edgegate.dataplane.match.UrlMatcher;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.timelimiter.TimeLimiterSpec;
import java.util.concurrent.CompletionStage;

/** Sets the request's time limit for the upstream answer; the Proxy enforces it. */
final class TimeLimiterFilter implements Filter {

    private record Rule(UrlMatcher match, long timeoutNanos) {
    }

    private final Rule[] rules;
    private final long defaultNanos;

    TimeLimiterFilter(TimeLimiterSpec spec) {
        this.rules = spec.urls().stream()
                .map(u -> new Rule(UrlMatcher.of(u.match()), u.timeoutDuration().toNanos()))
                .toArray(Rule[]::new);
        this.defaultNanos = spec.defaultTimeoutDuration().toNanos();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        long due = System.nanoTime() + timeoutFor(context.request().method().name(), RequestTarget.decodedPath(RequestTarget.path(context.request().uri())));
        // Several limits on one request: the earliest wins.
        context.put(RequestKeys.DEADLINE_NANOS, Math.min(due, context.get(RequestKeys.DEADLINE_NANOS)));
        return FilterResults.success();
    }

    private long timeoutFor(String method, String path) {
        for (Rule rule : rules) {
            if (rule.match().matches(method, path)) {
                return rule.timeoutNanos();
            }
        }
        return defaultNanos;
    }
}
