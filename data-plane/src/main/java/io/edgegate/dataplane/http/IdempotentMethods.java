package io.edgegate.dataplane.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * The methods RFC 9110 §9.2.2 calls idempotent: a request with one of them may be sent again after
 * it may have reached a server (NGINX's proxy_next_upstream draws the same line); others only when
 * they surely never left.
 */
public final class IdempotentMethods {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private IdempotentMethods() {
    }

    public static boolean contains(HttpMethod method) {
        return IDEMPOTENT.contains(method);
    }
}
