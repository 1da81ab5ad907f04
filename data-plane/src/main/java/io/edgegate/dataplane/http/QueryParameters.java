package io.edgegate.dataplane.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request target's query parameters, decoded. A pair whose percent-encoding is broken
 * ({@code a=%zz}) is left out rather than failing the request, as Go's {@code url.ParseQuery}
 * (Easegress) leaves it out: a malformed query is the client's problem, never a dropped connection.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    public static Map<String, List<String>> of(String uri) {
        int start = uri.indexOf('?');
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (start < 0) {
            return out;
        }
        int end = uri.indexOf('#', start);
        String query = uri.substring(start + 1, end < 0 ? uri.length() : end);
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = QueryStringDecoder.decodeComponent(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : QueryStringDecoder.decodeComponent(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            } catch (IllegalArgumentException malformed) {
                // left out (see above)
            }
        }
        return out;
    }
}
