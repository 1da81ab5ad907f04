package io.edgegate.dataplane.filter.validator;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.validator.HeaderRuleSpec;
import io.edgegate.spec.filter.validator.ValidatorSpec;
import io.edgegate.spec.server.Regexps;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** Lets a request through only when every configured check holds; otherwise answers 401 or 400 with result {@code invalid}. */
final class ValidatorFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> INVALID = CompletableFuture.completedFuture(ValidatorSpec.RESULT_INVALID);
    private static final String REALM = "Bearer realm=\"edgegate\"";

    private record HeaderRule(String name, Set<String> values, Pattern regexp) {
        boolean holds(String value) {
            return value != null && (values.contains(value) || (regexp != null && regexp.matcher(value).find()));
        }
    }

    private final List<HeaderRule> headerRules;
    private final JwtVerifier jwt;
    private final String jwtCookie;

    ValidatorFilter(ValidatorSpec spec, Clock clock) {
        this.headerRules = spec.headers().entrySet().stream().map(ValidatorFilter::rule).toList();
        this.jwt = spec.jwt().map(j -> new JwtVerifier(j, clock)).orElse(null);
        this.jwtCookie = spec.jwt().flatMap(j -> j.cookieName()).orElse(null);
    }

    private static HeaderRule rule(Map.Entry<String, HeaderRuleSpec> entry) {
        return new HeaderRule(entry.getKey(), Set.copyOf(entry.getValue().values()),
                entry.getValue().regexp().map(Regexps::compile).orElse(null));
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders headers = context.request().headers();
        for (HeaderRule rule : headerRules) {
            if (!rule.holds(headers.get(rule.name()))) {
                return refuse(context, HttpResponseStatus.UNAUTHORIZED, null, "header " + rule.name() + " is missing or not allowed");
            }
        }
        if (jwt != null) {
            return checkToken(context, headers);
        }
        return PASS;
    }

    private CompletionStage<String> checkToken(RequestContext context, HttpHeaders headers) {
        String token = null;
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()
                    || authorization.substring(7).trim().contains(" ")) {
                return refuse(context, HttpResponseStatus.BAD_REQUEST,
                        REALM + ", error=\"invalid_request\"", "Authorization must be: Bearer <token>");
            }
            token = authorization.substring(7).trim();
        } else if (jwtCookie != null) {
            token = cookie(headers, jwtCookie);
        }
        if (token == null) {
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, REALM, "a token is required");
        }
        JwtVerifier.Verdict verdict = jwt.verify(token);
        if (verdict != JwtVerifier.Verdict.OK) {
            String reason = switch (verdict) {
                case EXPIRED -> "the token has expired";
                case NOT_YET_VALID -> "the token is not valid yet";
                case WRONG_ALGORITHM -> "the token's algorithm is not accepted";
                case BAD_SIGNATURE -> "the token's signature does not verify";
                default -> "the token is malformed";
            };
            return refuse(context, HttpResponseStatus.UNAUTHORIZED,
                    REALM + ", error=\"invalid_token\", error_description=\"" + reason + "\"", reason);
        }
        return PASS;
    }

    private static String cookie(HttpHeaders headers, String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
        }
        return null;
    }

    private static CompletionStage<String> refuse(RequestContext context, HttpResponseStatus status, String challenge, String reason) {
        context.requestBody().discard();
        byte[] body = (status.code() + " " + status.reasonPhrase() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (challenge != null) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        context.respond(response);
        return INVALID;
    }
}
