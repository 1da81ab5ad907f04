package io.edgegate.dataplane.server;

import io.edgegate.dataplane.route.RouteMatch;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;

/**
 * What a request passes after its head was checked, the same for HTTP/1.1 and HTTP/2: it is
 * routed, its announced body must fit the route's limit (413; a request no pipeline would serve
 * gets its route's verdict instead, as in Easegress), and of expectations only
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

    /**
     * The Content-Length the client sent, else {@code none}. Not Netty's {@code HttpUtil.getContentLength}: without
     * the header it answers 8 for a GET carrying Sec-WebSocket-Key1 and Key2 (a 2010 WebSocket draft), a length the
     * client never declared, which sent upstream would frame the body's other bytes as a request of their own.
     */
    static long declaredLength(HttpRequest request, long none) {
        String value = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        return value == null ? none : Long.parseLong(value.trim());
    }

    /** {@code contentLength}: the body's length as the protocol frames it, -1 when unknown. */
    static Outcome admit(HttpRequest request, ServerState state, InetSocketAddress client, long contentLength) {
        RouteMatch match = state.routes().route(request, client);
        long limit = match.clientMaxBodySize(state.spec().clientMaxBodySize());
        // As Easegress, the route's verdict (403, 400, 405, 404) and a missing pipeline (503) come before the body's size.
        if (limit >= 0 && contentLength > limit && match.outcome() == RouteMatch.Outcome.MATCHED
                && state.pipelines().get(match.backend()) != null) {
            return new Refused(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body larger than " + limit + " bytes");
        }
        boolean expectContinue = HttpUtil.is100ContinueExpected(request);
        // An HTTP/1.0 client's 100-continue is ignored, not refused (RFC 9110 §10.1.1; Go's server, so Easegress, too).
        boolean ignored = request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                && request.headers().containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
        if (!expectContinue && request.headers().contains(HttpHeaderNames.EXPECT) && !ignored) {
            return new Refused(HttpResponseStatus.EXPECTATION_FAILED, "only 100-continue is supported");
        }
        request.headers().remove(HttpHeaderNames.EXPECT);
        return new Admitted(match, contentLength, limit, expectContinue);
    }
}
