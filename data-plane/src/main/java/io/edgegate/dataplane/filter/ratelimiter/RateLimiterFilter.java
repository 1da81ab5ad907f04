package io.edgegate.dataplane.filter.ratelimiter;

import io.edgegate.dataplane.http.PlainResponses;
import io.edgegate.dataplane.match.UrlPolicies;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.spec.filter.ratelimiter.PerClientSpec;
import io.edgegate.spec.filter.ratelimiter.RateLimitPolicySpec;
import io.edgegate.spec.filter.ratelimiter.RateLimiterSpec;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.Arrays;
import java.util.Objects;

/**
 * Admits a request when its policy has a permit now, delays it (without holding the event
 * loop) when one is due within the policy's timeout, and otherwise answers 429.
 */
final class RateLimiterFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> LIMITED = CompletableFuture.completedFuture(RateLimiterSpec.RESULT_RATE_LIMITED);
    /** Easegress's mark on its 429: clients and dashboards written for it look for it. */
    static final String LIMITED_HEADER = "X-EG-Rate-Limiter";

    private final UrlPolicies urls;
    /** One bucket per rule, as Easegress makes a limiter per {@code urls} entry (two entries naming one policy do not share). */
    private final PermitBucket[] shared;
    private final PerClientSpec perClient;
    private final List<ClientBuckets> perClientBuckets;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    RateLimiterFilter(RateLimiterSpec spec, LongSupplier nanoTime) {
        List<RateLimitPolicySpec> policies = spec.policies();
        this.urls = UrlPolicies.of(spec.urls(), spec.defaultPolicyRef(), policies.stream().map(RateLimitPolicySpec::name).toList());
        this.perClient = spec.perClient().orElse(null);
        int[] policyOfRule = urls.policiesByRule();
        if (perClient == null) {
            this.shared = Arrays.stream(policyOfRule)
                    .mapToObj(p -> p == UrlPolicies.NONE ? null : new PermitBucket(policies.get(p), nanoTime)).toArray(PermitBucket[]::new);
            this.perClientBuckets = List.of();
        } else {
            this.shared = null;
            this.perClientBuckets = Arrays.stream(policyOfRule)
                    .mapToObj(p -> p == UrlPolicies.NONE ? null : new ClientBuckets(policies.get(p), perClient.maxClients(), nanoTime))
                    .toList();
        }
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        int rule = urls.ruleForTarget(context.request().method().name(), context.request().uri());
        if (rule == UrlPolicies.NONE) {
            return PASS;
        }
        PermitBucket bucket = perClient == null ? shared[rule]
                : perClientBuckets.get(rule).bucketFor(clientKey(context));
        long wait = bucket.reserve();
        if (wait == 0) {
            admitted.increment();
            return PASS;
        }
        if (wait > 0) {
            delayed.increment();
            CompletableFuture<String> later = new CompletableFuture<>();
            context.eventLoop().schedule(() -> later.complete(SUCCESS), wait, TimeUnit.NANOSECONDS);
            return later;
        }
        rejected.increment();
        FullHttpResponse response = PlainResponses.of(context.alloc(), HttpResponseStatus.TOO_MANY_REQUESTS, "rate limit exceeded");
        // Whole seconds, rounded up: a client that waits that long finds a permit.
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(bucket.nanosUntilFree() + 999_999_999L));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
        response.headers().set(LIMITED_HEADER, "too-many-requests");
        context.respond(response);
        return LIMITED;
    }

    private String clientKey(RequestContext context) {
        String key = switch (perClient.key()) {
            case CLIENT_IP -> context.client().getHostAddress();
            case HEADER -> context.request().headers().get(perClient.header().orElseThrow());
            case JWT_CLAIM -> context.get(RequestKeys.JWT_CLAIMS).get(perClient.jwtClaim().orElseThrow());
        };
        return key == null ? "" : key;
    }

    @Override
    public List<String> status() {
        String line = admitted.sum() + " admitted at once, " + delayed.sum() + " after waiting for a permit, "
                + rejected.sum() + " refused (429)";
        if (perClient != null) {
            line += "; " + perClientBuckets.stream().filter(Objects::nonNull).mapToLong(ClientBuckets::size).sum()
                    + " clients tracked";
        }
        return List.of(line);
    }
}
