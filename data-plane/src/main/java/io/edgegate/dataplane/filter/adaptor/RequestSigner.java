package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.SignatureV4;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;
import io.edgegate.spec.filter.adaptor.SignSpec;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Signs a request as Easegress's RequestAdaptor {@code sign} does: the date header set, the
 * headers the request carries signed (less those listed in {@link SignSpec}), the body hashed
 * whole when its length is known and at most {@link #MAX_HASHED_BODY}, and the signature put
 * in {@code Authorization: <algorithm> Credential=<id>/<scope>, SignedHeaders=…, Signature=…}.
 */
final class RequestSigner {

    /** A body up to this size is read and hashed; a bigger or streamed one is sent as UNSIGNED-PAYLOAD. */
    static final long MAX_HASHED_BODY = 4L * 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Never signed: what Easegress leaves out, and what changes on the way through a proxy. */
    private static final Set<String> UNSIGNED = Set.of("authorization", "user-agent", "connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "forwarded", "x-real-ip");

    private final SignSpec spec;
    private final Clock clock;

    RequestSigner(SignSpec spec, Clock clock) {
        this.spec = spec;
        this.clock = clock;
    }

    CompletionStage<String> sign(RequestContext context) {
        HttpRequest request = context.request();
        String given = request.headers().get(spec.literal().contentSha256());
        long length = context.requestBody().contentLength();
        if (given != null) {
            return done(context, given);
        }
        if (spec.excludeBody() || length < 0 || length > MAX_HASHED_BODY) {
            request.headers().set(spec.literal().contentSha256(), SignatureV4.UNSIGNED_PAYLOAD);
            return done(context, SignatureV4.UNSIGNED_PAYLOAD);
        }
        if (length == 0) {
            return done(context, SignatureV4.sha256Hex(new byte[0]));
        }
        return BodyCollector.collectBytes(context.requestBody(), context.alloc(), MAX_HASHED_BODY).handle((body, error) -> {
            if (error != null) {
                context.respond(io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST, "cannot read the body to sign it");
                return RequestAdaptorSpec.RESULT_SIGN_FAILED;
            }
            context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(body)));
            signHead(request, SignatureV4.sha256Hex(body), https(context));
            return Filter.SUCCESS;
        });
    }

    private static boolean https(RequestContext context) {
        return context.connection().scheme().equals("https");
    }

    private CompletionStage<String> done(RequestContext context, String bodyHash) {
        signHead(context.request(), bodyHash, https(context));
        return CompletableFuture.completedFuture(Filter.SUCCESS);
    }

    /** Sets the date and Authorization headers of {@code request} for a body of hash {@code bodyHash}. */
    void signHead(HttpRequest request, String bodyHash, boolean https) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        String time = TIME.format(now);
        String date = DATE.format(now);
        HttpHeaders headers = request.headers();
        headers.set(spec.literal().date(), time);
        TreeMap<String, List<String>> signed = new TreeMap<>();
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!UNSIGNED.contains(name) && !spec.ignoredHeaders().contains(name)) {
                signed.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(header.getValue());
            }
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, List<String>> header : signed.entrySet()) {
            canonicalHeaders.append(header.getKey()).append(':').append(header.getKey().equals("host")
                    ? SignatureV4.host(header.getValue().get(0), https) : SignatureV4.canonicalValue(header.getValue())).append('\n');
        }
        String signedHeaders = String.join(";", signed.keySet());
        String uri = request.uri();
        int query = uri.indexOf('?');
        String canonical = SignatureV4.canonicalRequest(request.method().name(), RequestTarget.path(uri),
                query < 0 ? "" : uri.substring(query + 1), canonicalHeaders.toString(), signedHeaders, bodyHash);
        String signature = SignatureV4.sign(canonical, spec.literal().algorithmValue(), time, date, spec.scopes(),
                spec.literal().scopeSuffix(), spec.literal().signingKeyPrefix(), spec.accessKeySecret());
        headers.set(HttpHeaderNames.AUTHORIZATION, spec.literal().algorithmValue() + " Credential=" + spec.accessKeyId() + "/"
                + SignatureV4.scope(date, spec.scopes(), spec.literal().scopeSuffix()) + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + signature);
    }
}
