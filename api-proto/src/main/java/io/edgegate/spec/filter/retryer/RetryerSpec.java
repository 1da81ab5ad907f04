package io.edgegate.spec.filter.retryer;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The v1 Retryer filter: gives the requests it matches a retry policy that the Proxy after it
 * follows. Only what is safe is retried: requests without a body, with an idempotent method,
 * or that never reached a server; a POST the server received is never sent twice. The client
 * gets the last attempt's answer.
 */
public record RetryerSpec(String name, List<RetryPolicySpec> policies, Optional<String> defaultPolicyRef,
                          List<UrlPolicyRule> urls) implements FilterSpec {

    public static final String KIND = "Retryer";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(), RetryerSpec::decode);

    public RetryerSpec {
        policies = List.copyOf(policies);
        urls = List.copyOf(urls);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static RetryerSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<RetryPolicySpec> policies = o.list("policies", n -> RetryPolicySpec.decode(n.asObject()));
        Set<String> names = new LinkedHashSet<>();
        for (RetryPolicySpec policy : policies) {
            if (!policy.name().isEmpty() && !names.add(policy.name())) {
                o.error("policies", "policy name '" + policy.name() + "' is used twice");
            }
        }
        if (policies.isEmpty()) {
            o.error("policies", "a Retryer needs at least one policy");
        }
        Optional<String> defaultRef = UrlPolicyRule.defaultPolicyRef(o, names);
        List<UrlPolicyRule> urls = UrlPolicyRule.decodeAll(o, names);
        if (urls.isEmpty() && defaultRef.isEmpty() && !policies.isEmpty()) {
            o.error("urls", "no request would be retried: give urls with a policyRef, or a defaultPolicyRef");
        }
        return new RetryerSpec(name, policies, defaultRef, urls);
    }
}
