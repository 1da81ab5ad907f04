package io.edgegate.dataplane.filter.mock;

import io.edgegate.dataplane.match.StringMatcher;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.mock.MockSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Answers requests its rules match with a canned response; others pass on. */
final class MockFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> MOCKED = CompletableFuture.completedFuture(MockSpec.RESULT_MOCKED);

    private record CompiledRule(String path, String pathPrefix, Map<String, StringMatcher> headers, boolean allHeaders,
                                MockSpec.Rule rule, byte[] body, String sniffedType) {

        boolean matches(String requestPath, HttpHeaders requestHeaders) {
            // As Easegress: the path matches when it is the rule's path or starts with its prefix (either given).
            boolean pathMatches = path == null && pathPrefix == null || requestPath.equals(path)
                    || pathPrefix != null && requestPath.startsWith(pathPrefix);
            if (!pathMatches) {
                return false;
            }
            if (headers.isEmpty()) {
                return true;
            }
            for (Map.Entry<String, StringMatcher> header : headers.entrySet()) {
                boolean holds = anyValueMatches(header.getValue(), requestHeaders.getAll(header.getKey()));
                if (holds && !allHeaders) {
                    return true;
                }
                if (!holds && allHeaders) {
                    return false;
                }
            }
            return allHeaders;
        }

        /**
         * As Easegress's Mock: a header not sent matches only {@code empty: true}; one sent does not match
         * {@code empty: true} (even sent empty), and matches when one of its values does.
         */
        private static boolean anyValueMatches(StringMatcher matcher, List<String> values) {
            if (values.isEmpty() || matcher.matchesEmpty()) {
                return values.isEmpty() && matcher.matchesEmpty();
            }
            for (String value : values) {
                if (matcher.matches(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<CompiledRule> rules;

    MockFilter(MockSpec spec) {
        this.rules = spec.rules().stream().map(r -> new CompiledRule(
                r.match().path().orElse(null), r.match().pathPrefix().orElse(null),
                Map.copyOf(r.match().headers().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> StringMatcher.of(e.getValue())))),
                r.match().matchAllHeaders(), r, r.body().getBytes(StandardCharsets.UTF_8),
                io.edgegate.dataplane.http.ContentSniffer.of(r.body().getBytes(StandardCharsets.UTF_8)))).toList();
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        String path = RequestTarget.matchingPath(RequestTarget.path(context.request().uri()));
        for (CompiledRule rule : rules) {
            if (rule.matches(path, context.request().headers())) {
                return answer(context, rule);
            }
        }
        return PASS;
    }

    private static CompletionStage<String> answer(RequestContext context, CompiledRule rule) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(rule.rule().code()), Unpooled.wrappedBuffer(rule.body()));
        rule.rule().headers().forEach((name, value) -> response.headers().set(name, value));
        if (rule.sniffedType() != null && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            // As Go's server types a body sent without a Content-Type (Easegress answers through it).
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, rule.sniffedType());
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, rule.body().length);
        long delay = rule.rule().delay().toMillis();
        if (delay == 0) {
            context.respond(response);
            return MOCKED;
        }
        CompletableFuture<String> later = new CompletableFuture<>();
        context.eventLoop().schedule(() -> {
            context.respond(response);
            later.complete(MockSpec.RESULT_MOCKED);
        }, delay, TimeUnit.MILLISECONDS);
        return later;
    }
}
