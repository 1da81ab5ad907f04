package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.http.QueryParameters;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.adaptor.RequestTemplate;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/** Fills a {@link RequestTemplate} from the request being handled; a literal template costs nothing. */
final class TemplateRenderer {

    private TemplateRenderer() {
    }

    static String render(RequestTemplate template, RequestContext context, HttpRequest request) {
        if (template.isLiteral()) {
            return template.source();
        }
        StringBuilder out = new StringBuilder();
        for (RequestTemplate.Part part : template.parts()) {
            if (part.source() == null) {
                out.append(part.text());
                continue;
            }
            String value = switch (part.source()) {
                case METHOD -> request.method().name();
                case HOST -> RequestTarget.host(request.headers().get(HttpHeaderNames.HOST));
                case PATH -> RequestTarget.path(request.uri());
                case PATH_SEGMENT -> segment(RequestTarget.path(request.uri()), part.segment());
                case QUERY -> {
                    List<String> values = QueryParameters.of(request.uri()).get(part.argument());
                    yield values == null || values.isEmpty() ? "" : values.get(0);
                }
                case HEADER -> request.headers().get(part.argument(), "");
                case CLIENT_IP -> context.client() == null ? "" : context.client().getHostAddress();
                case JWT_CLAIM -> context.get(RequestKeys.JWT_CLAIMS).getOrDefault(part.argument(), "");
            };
            out.append(value);
        }
        return out.toString();
    }

    private static String segment(String path, int n) {
        int seen = 0;
        for (String s : path.split("/")) {
            if (!s.isEmpty() && ++seen == n) {
                return s;
            }
        }
        return "";
    }
}
