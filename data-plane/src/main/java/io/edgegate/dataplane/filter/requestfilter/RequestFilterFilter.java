package io.edgegate.dataplane.filter.requestfilter;

import com.google.re2j.Pattern;
import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.requestfilter.RequestFilterSpec;
import io.edgegate.spec.server.Regexps;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refuses requests that match a deny rule or a built-in probe pattern, with 403 and a log line. */
final class RequestFilterFilter implements Filter {

    private static final Logger log = LoggerFactory.getLogger(RequestFilterFilter.class);
    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> BLOCKED = CompletableFuture.completedFuture(RequestFilterSpec.RESULT_BLOCKED);

    private record Rule(String name, Pattern path, Pattern query, Map<String, Pattern> headers, Pattern body) {
    }

    private final String filterName;
    private final List<Rule> rules;
    private final boolean builtIn;
    private final long maxBodyBytes;
    private final boolean readsBody;

    RequestFilterFilter(RequestFilterSpec spec) {
        this.filterName = spec.name();
        this.rules = spec.rules().stream().map(r -> new Rule(r.name(), compile(r.path()), compile(r.query()),
                r.headers().entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Regexps.compile(e.getValue()))),
                compile(r.body()))).toList();
        this.builtIn = spec.builtInRules();
        this.maxBodyBytes = spec.maxBodyBytes();
        this.readsBody = builtIn || spec.rules().stream().anyMatch(RequestFilterSpec.Rule::readsBody);
    }

    private static Pattern compile(Optional<String> regexp) {
        return regexp.map(Regexps::compile).orElse(null);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        String uri = context.request().uri();
        int q = uri.indexOf('?');
        String path = decode(RequestTarget.path(uri));
        String query = q < 0 ? "" : decode(uri.substring(q + 1));
        Optional<String> hit = match(context, path, query, null);
        if (hit.isPresent()) {
            return block(context, hit.get(), path);
        }
        long length = context.requestBody().contentLength();
        if (!readsBody || length <= 0 || length > maxBodyBytes) {
            return PASS;
        }
        return BodyCollector.collect(context.requestBody(), context.alloc(), maxBodyBytes).handle((ByteBuf body, Throwable error) -> {
            if (error != null) {
                context.respond(HttpResponseStatus.BAD_REQUEST, "the request body could not be read");
                return RequestFilterSpec.RESULT_BLOCKED;
            }
            String text = decode(body.toString(StandardCharsets.UTF_8));
            context.replaceRequestBody(new FixedBody(body));
            Optional<String> bodyHit = match(context, path, query, text);
            if (bodyHit.isPresent()) {
                block(context, bodyHit.get(), path);
                return RequestFilterSpec.RESULT_BLOCKED;
            }
            return SUCCESS;
        });
    }

    /** The first rule or probe that matches; the body is checked only once it has been read ({@code body} not null). */
    private Optional<String> match(RequestContext context, String path, String query, String body) {
        for (Rule rule : rules) {
            if ((rule.body() == null) == (body == null) && ruleMatches(rule, context, path, query, body)) {
                return Optional.of(rule.name());
            }
        }
        if (builtIn) {
            for (BuiltInRules.Probe probe : BuiltInRules.PROBES) {
                boolean found = body == null
                        ? probe.pattern().matcher(path).find() || probe.pattern().matcher(query).find()
                        : probe.pattern().matcher(body).find();
                if (found) {
                    return Optional.of(probe.name());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean ruleMatches(Rule rule, RequestContext context, String path, String query, String body) {
        if (rule.path() != null && !rule.path().matcher(path).find()) {
            return false;
        }
        if (rule.query() != null && !rule.query().matcher(query).find()) {
            return false;
        }
        for (Map.Entry<String, Pattern> header : rule.headers().entrySet()) {
            String value = context.request().headers().get(header.getKey());
            if (value == null || !header.getValue().matcher(value).find()) {
                return false;
            }
        }
        return rule.body() == null || rule.body().matcher(body).find();
    }

    private CompletionStage<String> block(RequestContext context, String rule, String path) {
        log.warn("{}: blocked {} {} from {} by rule {}", filterName, context.request().method(), path,
                context.client() == null ? "?" : context.client().getHostAddress(), rule);
        context.respond(HttpResponseStatus.FORBIDDEN, "request blocked");
        return BLOCKED;
    }

    /** Percent-decoded twice, so double-encoded probes are seen too; undecodable text is kept as it is. */
    private static String decode(String text) {
        String once = decodeOnce(text);
        return once.indexOf('%') >= 0 ? decodeOnce(once) : once;
    }

    private static String decodeOnce(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
