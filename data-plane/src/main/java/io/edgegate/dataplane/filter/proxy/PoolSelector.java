package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.match.StringMatcher;
import io.edgegate.dataplane.match.UrlMatcher;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.proxy.PoolFilterSpec;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** A candidate pool's filter, compiled: whether it takes a request (see {@link PoolFilterSpec}). */
public final class PoolSelector {

    private final Map<String, StringMatcher> headers;
    private final boolean allHeaders;
    private final List<UrlMatcher> urls;
    private final PoolFilterSpec.Share share;

    public PoolSelector(PoolFilterSpec spec) {
        this.headers = spec.headers().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> StringMatcher.of(e.getValue())));
        this.allHeaders = spec.matchAllHeaders();
        this.urls = spec.urls().stream().map(UrlMatcher::of).toList();
        this.share = spec.share().orElse(null);
    }

    public boolean selects(RequestContext context) {
        return headersMatch(context.request().headers()) && urlsMatch(context) && inShare(context);
    }

    private boolean headersMatch(HttpHeaders request) {
        if (headers.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, StringMatcher> header : headers.entrySet()) {
            boolean holds = header.getValue().matches(request.get(header.getKey()));
            if (holds != allHeaders) {
                return holds;
            }
        }
        return allHeaders;
    }

    private boolean urlsMatch(RequestContext context) {
        if (urls.isEmpty()) {
            return true;
        }
        String method = context.request().method().name();
        String path = RequestTarget.matchingPath(RequestTarget.path(context.request().uri()));
        for (UrlMatcher url : urls) {
            if (url.matches(method, path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request falls in the share; hashed draws put the same client on the same side every time. */
    private boolean inShare(RequestContext context) {
        if (share == null) {
            return true;
        }
        int draw = switch (share.policy()) {
            case RANDOM -> ThreadLocalRandom.current().nextInt(1000);
            case IP_HASH -> Math.floorMod(LoadBalancers.hash(context.client().getHostAddress()), 1000);
            case HEADER_HASH -> Math.floorMod(LoadBalancers.hash(
                    context.request().headers().get(share.headerHashKey().orElseThrow(), "")), 1000);
        };
        return draw < share.permil();
    }
}
