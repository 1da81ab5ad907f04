package io.edgegate.dataplane.server;

import io.edgegate.dataplane.route.RouteMatch;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;

/**
 * What a request passes after its head was checked, the same for HTTP/1.1 and HTTP/2: it is
 * routed, its announced body must fit the route's limit (413), and of expectations only
 * {@code 100-continue} is served (417). The Expect header is consumed here: it is hop-by-hop.
 */
final class Admission {

    private Admission() {
    }

    /** The outcome: a refusal, or the route and what the body needs. */
    sealed interface Outcome permits Refused, Admitted {
    }

    record Refused(HttpResponseStatus status, String reason) implements Outcome {
    }

    record Admitted(RouteMatch match, long contentLength, long bodyLimit, boolean expectContinue) implements Outcome {
    }

    /** {@code contentLength}: the body's length as the protocol frames it, -1 when unknown. */
    static Outcome admit(HttpRequest request, ServerState state, InetSocketAddress client, long contentLength) {
        RouteMatch match = state.routes().route(request, client);
        long limit = match.clientMaxBodySize(state.spec().clientMaxBodySize());
        if (limit >= 0 && contentLength > limit) {
            return new Refused(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body larger than " + limit + " bytes");
        }
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        if (!expectContinue && request.headers().contains(HttpHeaderNames.EXPECT)) {
            return new Refused(HttpResponseStatus.EXPECTATION_FAILED, "only 100-continue is supported");
        }
        request.headers().remove(HttpHeaderNames.EXPECT);
        return new Admitted(match, contentLength, limit, expectContinue);
    }
}
