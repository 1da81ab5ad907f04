package io.edgegate.dataplane.filter.retryer;

import io.edgegate.dataplane.match.UrlPolicies;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterResults;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.resilience.PolicyPlan;
import io.edgegate.dataplane.resilience.RetryBudget;
import io.edgegate.spec.filter.retryer.RetryPolicySpec;
import io.edgegate.spec.filter.retryer.RetryerSpec;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/** Gives matching requests their policy's retry plan; the Proxy after it does the retrying. */
final class RetryerFilter implements Filter {

    private final UrlPolicies urls;
    private final PolicyPlan[] plans;

    RetryerFilter(RetryerSpec spec, LongSupplier nanoTime) {
        this.urls = UrlPolicies.of(spec.urls(), spec.defaultPolicyRef(), spec.policies().stream().map(RetryPolicySpec::name).toList());
        this.plans = spec.policies().stream()
                .map(p -> new PolicyPlan(p, new RetryBudget(p.retryRatio(), p.minRetriesPerSecond(), nanoTime)))
                .toArray(PolicyPlan[]::new);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        int policy = urls.policyForTarget(context.request().method().name(), context.request().uri());
        if (policy != UrlPolicies.NONE) {
            plans[policy].requested();
            context.put(RequestKeys.RETRY_PLAN, plans[policy]);
        }
        return FilterResults.success();
    }
}
