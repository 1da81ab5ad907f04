package io.edgegate.spec.pipeline;

import io.edgegate.spec.codec.KeySuggestions;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;
import io.edgegate.spec.filter.adaptor.ResponseAdaptorSpec;
import io.edgegate.spec.filter.apiaggregator.ApiAggregatorSpec;
import io.edgegate.spec.filter.certextractor.CertExtractorSpec;
import io.edgegate.spec.filter.circuitbreaker.CircuitBreakerSpec;
import io.edgegate.spec.filter.cors.CorsAdaptorSpec;
import io.edgegate.spec.filter.databuilder.DataBuilderSpec;
import io.edgegate.spec.filter.fallback.FallbackSpec;
import io.edgegate.spec.filter.headerlookup.HeaderLookupSpec;
import io.edgegate.spec.filter.headertojson.HeaderToJsonSpec;
import io.edgegate.spec.filter.requestbuilder.RequestBuilderSpec;
import io.edgegate.spec.filter.responsebuilder.ResponseBuilderSpec;
import io.edgegate.spec.filter.resultbuilder.ResultBuilderSpec;
import io.edgegate.spec.filter.ipfilter.IpFilterSpec;
import io.edgegate.spec.filter.mock.MockSpec;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.filter.ratelimiter.RateLimiterSpec;
import io.edgegate.spec.filter.redirector.RedirectorSpec;
import io.edgegate.spec.filter.redirectorv2.RedirectorV2Spec;
import io.edgegate.spec.filter.remotefilter.RemoteFilterSpec;
import io.edgegate.spec.filter.requestfilter.RequestFilterSpec;
import io.edgegate.spec.filter.retryer.RetryerSpec;
import io.edgegate.spec.filter.simplehttpproxy.SimpleHttpProxySpec;
import io.edgegate.spec.filter.grpcproxy.GrpcProxySpec;
import io.edgegate.spec.filter.oidcadaptor.OidcAdaptorSpec;
import io.edgegate.spec.filter.staticfile.StaticFileSpec;
import io.edgegate.spec.filter.timelimiter.TimeLimiterSpec;
import io.edgegate.spec.filter.validator.ValidatorSpec;
import io.edgegate.spec.filter.websocketproxy.WebSocketProxySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of filter kinds, keyed by kind. Registration is explicit and a duplicate kind fails at once. */
public final class FilterSpecKinds {

    private final Map<String, FilterSpecKind> kinds;

    public FilterSpecKinds(List<FilterSpecKind> kinds) {
        Map<String, FilterSpecKind> byName = new LinkedHashMap<>();
        for (FilterSpecKind kind : kinds) {
            if (byName.putIfAbsent(kind.kind(), kind) != null) {
                throw new IllegalArgumentException("filter kind registered twice: " + kind.kind());
            }
        }
        this.kinds = Map.copyOf(byName);
    }

    /** The filter kinds this version of EdgeGate implements. */
    public static FilterSpecKinds builtIn() {
        return new FilterSpecKinds(List.of(ProxySpec.SPEC_KIND, StaticFileSpec.SPEC_KIND, RedirectorSpec.SPEC_KIND,
                IpFilterSpec.SPEC_KIND, MockSpec.SPEC_KIND, CorsAdaptorSpec.SPEC_KIND,
                RequestAdaptorSpec.SPEC_KIND, ResponseAdaptorSpec.SPEC_KIND, ValidatorSpec.SPEC_KIND,
                RequestFilterSpec.SPEC_KIND, RateLimiterSpec.SPEC_KIND,
                TimeLimiterSpec.SPEC_KIND, CircuitBreakerSpec.SPEC_KIND, RetryerSpec.SPEC_KIND,
                RequestBuilderSpec.SPEC_KIND, ResponseBuilderSpec.SPEC_KIND, ResultBuilderSpec.SPEC_KIND, DataBuilderSpec.SPEC_KIND,
                WebSocketProxySpec.SPEC_KIND, FallbackSpec.SPEC_KIND, HeaderLookupSpec.SPEC_KIND, HeaderToJsonSpec.SPEC_KIND,
                RedirectorV2Spec.SPEC_KIND, RemoteFilterSpec.SPEC_KIND, SimpleHttpProxySpec.SPEC_KIND,
                ApiAggregatorSpec.SPEC_KIND, CertExtractorSpec.SPEC_KIND, GrpcProxySpec.SPEC_KIND,
                OidcAdaptorSpec.SPEC_KIND, io.edgegate.spec.filter.fileserver.FileServerSpec.SPEC_KIND));
    }

    public Optional<FilterSpecKind> get(String kind) {
        return Optional.ofNullable(kinds.get(kind));
    }

    public Set<String> names() {
        return kinds.keySet();
    }

    /** Why {@code kind} cannot be used, in words a person can act on. */
    public String unknownKindMessage(String kind) {
        String known = String.join(", ", kinds.keySet().stream().sorted().toList());
        Optional<String> notYet = io.edgegate.spec.NotSupportedYet.filterKind(kind);
        if (notYet.isPresent()) {
            return "filter kind '" + kind + "' is not supported by EdgeGate yet: " + notYet.get() + " (available: " + known + ")";
        }
        return KeySuggestions.closest(kind, kinds.keySet())
                .map(s -> "unknown filter kind '" + kind + "' (did you mean '" + s + "'?)")
                .orElseGet(() -> "unknown filter kind '" + kind + "' (available: " + known + ")");
    }
}
