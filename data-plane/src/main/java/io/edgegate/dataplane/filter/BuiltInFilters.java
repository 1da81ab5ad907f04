package io.edgegate.dataplane.filter;

import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.filter.adaptor.RequestAdaptorFilterFactory;
import io.edgegate.dataplane.filter.apiaggregator.ApiAggregatorFilterFactory;
import io.edgegate.dataplane.filter.adaptor.ResponseAdaptorFilterFactory;
import io.edgegate.dataplane.filter.certextractor.CertExtractorFilterFactory;
import io.edgegate.dataplane.filter.circuitbreaker.CircuitBreakerFilterFactory;
import io.edgegate.dataplane.filter.cors.CorsAdaptorFilterFactory;
import io.edgegate.dataplane.filter.databuilder.DataBuilderFilterFactory;
import io.edgegate.dataplane.filter.fallback.FallbackFilterFactory;
import io.edgegate.dataplane.filter.headerlookup.HeaderLookupFilterFactory;
import io.edgegate.dataplane.filter.headertojson.HeaderToJsonFilterFactory;
import io.edgegate.dataplane.filter.requestbuilder.RequestBuilderFilterFactory;
import io.edgegate.dataplane.filter.responsebuilder.ResponseBuilderFilterFactory;
import io.edgegate.dataplane.filter.resultbuilder.ResultBuilderFilterFactory;
import io.edgegate.dataplane.filter.ipfilter.IpFilterFilterFactory;
import io.edgegate.dataplane.filter.mock.MockFilterFactory;
import io.edgegate.dataplane.filter.proxy.ProxyFilterFactory;
import io.edgegate.dataplane.filter.proxy.SimpleHttpProxyFilterFactory;
import io.edgegate.dataplane.filter.grpcproxy.GrpcProxyFilterFactory;
import io.edgegate.dataplane.filter.oidcadaptor.OidcAdaptorFilterFactory;
import io.edgegate.dataplane.filter.ratelimiter.RateLimiterFilterFactory;
import io.edgegate.dataplane.filter.redirector.RedirectorFilterFactory;
import io.edgegate.dataplane.filter.redirectorv2.RedirectorV2FilterFactory;
import io.edgegate.dataplane.filter.remotefilter.RemoteFilterFilterFactory;
import io.edgegate.dataplane.filter.requestfilter.RequestFilterFilterFactory;
import io.edgegate.dataplane.filter.retryer.RetryerFilterFactory;
import io.edgegate.dataplane.filter.staticfile.StaticFileFilterFactory;
import io.edgegate.dataplane.filter.timelimiter.TimeLimiterFilterFactory;
import io.edgegate.dataplane.filter.validator.ValidatorFilterFactory;
import io.edgegate.dataplane.filter.websocketproxy.WebSocketProxyFilterFactory;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.registry.RegistryView;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The filter kinds this data plane builds: the one list production and tests share. A new kind
 * adds its package and one line here (and its spec kind one line in {@code FilterSpecKinds}).
 */
public final class BuiltInFilters {

    private BuiltInFilters() {
    }

    /**
     * What filters need from the node.
     *
     * @param upstream   the upstream connection pools
     * @param verifiedUpstream connections whose https servers must prove who they are (identity providers)
     * @param workers    the event loops (health checks run on them)
     * @param registries the service registries of the running config
     * @param blocking   a pool for blocking work (files, bcrypt), never an event loop
     * @param customData the custom data of the running config
     */
    public record Needs(UpstreamClient upstream, UpstreamClient verifiedUpstream, EventLoopGroup workers, RegistryView registries, ScheduledExecutorService blocking,
                        CustomDataView customData, Clock clock) {
    }

    public static List<FilterFactory<?>> all(Needs needs) {
        ProxyFilterFactory proxies = new ProxyFilterFactory(needs.upstream(), needs.workers(), needs.registries());
        return List.of(
                proxies,
                new WebSocketProxyFilterFactory(proxies),
                new GrpcProxyFilterFactory(proxies),
                new OidcAdaptorFilterFactory(needs.verifiedUpstream(), needs.clock()),
                new StaticFileFilterFactory(needs.blocking()),
                new io.edgegate.dataplane.filter.fileserver.FileServerFilterFactory(needs.blocking()),
                new RedirectorFilterFactory(),
                new IpFilterFilterFactory(),
                new MockFilterFactory(),
                new CorsAdaptorFilterFactory(),
                new RequestAdaptorFilterFactory(),
                new ResponseAdaptorFilterFactory(),
                new ValidatorFilterFactory(needs.clock(), needs.blocking(), needs.customData(), needs.upstream(),
                        needs.verifiedUpstream()),
                new RequestFilterFilterFactory(),
                new RateLimiterFilterFactory(),
                new TimeLimiterFilterFactory(),
                new CircuitBreakerFilterFactory(),
                new RetryerFilterFactory(),
                new RequestBuilderFilterFactory(),
                new ResponseBuilderFilterFactory(),
                new ResultBuilderFilterFactory(),
                new DataBuilderFilterFactory(),
                new FallbackFilterFactory(),
                new HeaderLookupFilterFactory(needs.customData()),
                new HeaderToJsonFilterFactory(),
                new RedirectorV2FilterFactory(),
                new RemoteFilterFilterFactory(needs.upstream()),
                new SimpleHttpProxyFilterFactory(needs.upstream()),
                new ApiAggregatorFilterFactory(),
                new CertExtractorFilterFactory());
    }
}
