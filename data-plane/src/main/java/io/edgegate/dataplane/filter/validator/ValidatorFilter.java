package io.edgegate.dataplane.filter.validator;

import com.google.re2j.Pattern;
import io.edgegate.async.Causes;
import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyTooLargeException;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.RequestKeys;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.validator.OAuth2Spec;
import io.edgegate.spec.filter.validator.HeaderRuleSpec;
import io.edgegate.spec.filter.validator.ValidatorSpec;
import io.edgegate.spec.server.Regexps;
import io.netty.buffer.ByteBufUtil;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Lets a request through only when every configured check holds; otherwise answers 401 (400 for a header rule) with result {@code invalid}. */
final class ValidatorFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> INVALID = CompletableFuture.completedFuture(ValidatorSpec.RESULT_INVALID);
    private static final String REALM = "Bearer realm=\"edgegate\"";
    private static final String BASIC_REALM = "Basic realm=\"edgegate\", charset=\"UTF-8\"";
    /** Set to the user whose Basic credentials passed (Easegress's name for it), replacing whatever the client sent. */
    static final String AUTH_USER_HEADER = "X-AUTH-USER";
    /** A signed body is held in memory to be hashed; larger ones are refused with 413. */
    private static final long MAX_SIGNED_BODY = 16L * 1024 * 1024;

    private record HeaderRule(String name, Set<String> values, Pattern regexp) {
        /** As Easegress: the rule holds when any of the header's lines is an allowed value or matches the regexp. */
        boolean holds(HttpHeaders headers) {
            for (String value : headers.getAll(name)) {
                if (values.contains(value) || (regexp != null && regexp.matcher(value).find())) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<HeaderRule> headerRules;
    private final JwtVerifier jwt;
    private final String jwtCookie;
    private final RequestSignature signature;
    private final boolean signatureCoversBody;
    private final Clock clock;
    private final Credentials passwords;
    private final Executor blocking;
    private final OAuth2Check oauth2;

    ValidatorFilter(ValidatorSpec spec, Clock clock, Executor blocking, CustomDataView customData) {
        this(spec, clock, blocking, customData, null, null);
    }

    ValidatorFilter(ValidatorSpec spec, Clock clock, Executor blocking, CustomDataView customData,
                    UpstreamClient upstream, UpstreamClient verified) {
        this.headerRules = spec.headers().entrySet().stream().map(ValidatorFilter::rule).toList();
        this.jwt = spec.jwt().map(j -> new JwtVerifier(j, clock)).orElse(null);
        this.jwtCookie = spec.jwt().flatMap(j -> j.cookieName()).orElse(null);
        this.signature = spec.signature().map(RequestSignature::new).orElse(null);
        this.signatureCoversBody = spec.signature().map(s -> !s.excludeBody()).orElse(false);
        this.clock = clock;
        this.passwords = spec.basicAuth().map(b -> Credentials.of(b, customData)).orElse(null);
        this.blocking = blocking;
        this.oauth2 = spec.oauth2().map(o -> new OAuth2Check(o, o.tokenIntrospect().filter(OAuth2Spec.Introspection::insecureTls).isPresent() ? upstream : verified, clock)).orElse(null);
    }

    private static HeaderRule rule(Map.Entry<String, HeaderRuleSpec> entry) {
        return new HeaderRule(entry.getKey(), Set.copyOf(entry.getValue().values()),
                entry.getValue().regexp().map(Regexps::compile).orElse(null));
    }

    /**
     * The checks in Easegress's order: header rules, the token, the signature, OAuth2, Basic
     * credentials. The first that fails answers; the slow ones (a bcrypt, an introspection call)
     * run only for requests the cheap ones let through.
     */
    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders headers = context.request().headers();
        for (HeaderRule rule : headerRules) {
            if (!rule.holds(headers)) {
                // 400 as Easegress answers a failed header check: the request is malformed for this route, not unauthenticated.
                return refuse(context, HttpResponseStatus.BAD_REQUEST, null, "header " + rule.name() + " is missing or not allowed");
            }
        }
        if (jwt != null) {
            CompletionStage<String> token = checkToken(context, headers);
            if (token != PASS) {
                return token;
            }
        }
        if (signature == null) {
            return afterSignature(context, headers);
        }
        return checkSignature(context).thenCompose(result -> result.equals(SUCCESS) ? afterSignature(context, headers)
                : CompletableFuture.completedFuture(result));
    }

    /** The checks after the signature: OAuth2, then Basic credentials. */
    private CompletionStage<String> afterSignature(RequestContext context, HttpHeaders headers) {
        if (oauth2 == null) {
            return passwords == null ? PASS : checkBasic(context, headers);
        }
        return checkOAuth2(context, headers).thenCompose(result -> result.equals(SUCCESS) && passwords != null
                ? checkBasic(context, headers) : CompletableFuture.completedFuture(result));
    }

    /** Basic credentials, checked on the blocking pool (bcrypt is slow on purpose); the answer comes back on the event loop. */
    private CompletionStage<String> checkBasic(RequestContext context, HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, BASIC_REALM, "credentials are required");
        }
        String user;
        String password;
        try {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw new IllegalArgumentException();
            }
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException();
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        } catch (IllegalArgumentException e) {
            // 401 as Easegress answers any Authorization it cannot use.
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, BASIC_REALM, "Authorization must be: Basic base64(user:password)");
        }
        CompletableFuture<String> result = new CompletableFuture<>();
        blocking.execute(() -> {
            boolean ok = passwords.current().accepts(user, password);
            context.eventLoop().execute(() -> {
                if (ok) {
                    // As Easegress: the upstream learns who it is, and a client cannot claim to be someone else.
                    context.request().headers().set(AUTH_USER_HEADER, user);
                    result.complete(SUCCESS);
                } else {
                    refuse(context, HttpResponseStatus.UNAUTHORIZED, BASIC_REALM, "wrong user or password");
                    result.complete(ValidatorSpec.RESULT_INVALID);
                }
            });
        });
        return result;
    }

    /** The signature may cover the body: then it is read whole (within the body limit) and passed on from memory. */
    private CompletionStage<String> checkSignature(RequestContext context) {
        if (!signatureCoversBody) {
            return verdict(context, new byte[0]);
        }
        long limit = MAX_SIGNED_BODY;
        return BodyCollector.collect(context.requestBody(), context.alloc(), limit).handle((body, error) -> {
            if (error != null) {
                Throwable cause = Causes.unwrap(error);
                if (cause instanceof BodyTooLargeException) {
                    context.respond(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, cause.getMessage());
                    return ValidatorSpec.RESULT_INVALID;
                }
                context.respond(HttpResponseStatus.BAD_REQUEST, "the request body could not be read");
                return ValidatorSpec.RESULT_INVALID;
            }
            byte[] bytes = ByteBufUtil.getBytes(body);
            context.replaceRequestBody(new FixedBody(body));
            return verdict(context, bytes).toCompletableFuture().join();
        });
    }

    private CompletionStage<String> verdict(RequestContext context, byte[] body) {
        String uri = context.request().uri();
        int query = uri.indexOf('?');
        String path = RequestTarget.path(uri);
        Optional<String> refused = signature.verify(context.request().method().name(), path,
                query < 0 ? "" : uri.substring(query + 1), context.request().headers(), body,
                context.connection().scheme().equals("https"), clock.instant());
        if (refused.isPresent()) {
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, "HMAC realm=\"edgegate\"", refused.get());
        }
        return PASS;
    }

    private CompletionStage<String> checkToken(RequestContext context, HttpHeaders headers) {
        // As Easegress: the cookie, when the filter names one and the request has it, before the header.
        String token = jwtCookie != null ? cookie(headers, jwtCookie) : null;
        if (token != null && token.isEmpty()) {
            token = null;
        }
        String authorization = token == null ? headers.get(HttpHeaderNames.AUTHORIZATION) : null;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()
                    || authorization.substring(7).trim().contains(" ")) {
                // 401 as Easegress answers any Authorization it cannot use (RFC 6750's invalid_request names why).
                return refuse(context, HttpResponseStatus.UNAUTHORIZED,
                        REALM + ", error=\"invalid_request\"", "Authorization must be: Bearer <token>");
            }
            token = authorization.substring(7).trim();
        }
        if (token == null) {
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, REALM, "a token is required");
        }
        JwtVerifier.Result result = jwt.verify(token);
        JwtVerifier.Verdict verdict = result.verdict();
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
        context.put(RequestKeys.JWT_CLAIMS, Map.copyOf(result.claims()));
        return PASS;
    }

    /** Easegress's oauth2: a Bearer token, valid by introspection or as a JWT; its subject and scope go upstream. */
    private CompletionStage<String> checkOAuth2(RequestContext context, HttpHeaders headers) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.substring(7).isBlank()) {
            return refuse(context, HttpResponseStatus.UNAUTHORIZED, REALM, "a Bearer token is required");
        }
        return oauth2.check(context, authorization.substring(7).trim()).thenCompose(outcome -> {
            if (!outcome.valid()) {
                return refuse(context, HttpResponseStatus.UNAUTHORIZED, REALM + ", error=\"invalid_token\"", outcome.reason());
            }
            if (!outcome.subject().isEmpty()) {
                headers.set("X-Authenticated-Userid", outcome.subject());
            }
            if (!outcome.scope().isEmpty()) {
                headers.set("X-Authenticated-Scope", outcome.scope());
            }
            return PASS;
        });
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
