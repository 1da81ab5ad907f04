package io.edgegate.spec.filter.retryer;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.resilience.PolicyRules;
import io.edgegate.spec.filter.resilience.UrlPolicyRule;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The v1 Retryer filter: gives the requests it matches a retry policy that the Proxy after it
 * follows. Only what is safe is retried: requests with an idempotent method, or that never
 * reached a server, whose body (if any) is small enough to hold (64 KB); a POST the server
 * received is never sent twice. The client gets the last attempt's answer.
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
        PolicyRules<RetryPolicySpec> rules = PolicyRules.decode(o, KIND, RetryPolicySpec::decode, RetryPolicySpec::name,
                "no request would be retried");
        return new RetryerSpec(name, rules.policies(), rules.defaultPolicyRef(), rules.urls());
    }
}
