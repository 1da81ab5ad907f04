package io.edgegate.dataplane.filter.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.http.TeeBody;
import io.edgegate.dataplane.pipeline.Response;
import io.edgegate.spec.filter.proxy.MemoryCacheSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A pool's memory cache with HTTP's rules (RFC 9111, as a shared cache): answers are keyed by
 * scheme, host, target and the request headers their {@code Vary} names; they are fresh for
 * {@code s-maxage}, else {@code max-age}, but never longer than the configured expiration (as
 * Easegress keeps every entry: an operator's bound holds); a stale entry with a
 * validator is kept a while longer and revalidated with a conditional request. All entries
 * together stay under {@code maxTotalBytes}, least recently used out first.
 */
final class ResponseCache {

    static final String STATUS_HEADER = "X-Cache";
    /** How long a stale entry with a validator is kept for revalidation. */
    private static final long STALE_KEEP_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int ENTRY_OVERHEAD = 512;
    /** RFC 9111 §1.2.2: the largest delta-seconds a cache need reckon with. */
    private static final long MAX_DELTA_SECONDS = 2_147_483_648L;
    /** Header fields a 304 does not replace in the stored answer: its framing and this hop's. */
    private static final Set<String> NOT_UPDATED_BY_304 = Set.of("content-length", "transfer-encoding", "content-encoding",
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "age", STATUS_HEADER.toLowerCase(Locale.ROOT));

    /** A stored answer; immutable, shared by every request it answers. */
    record Entry(int status, HttpHeaders headers, byte[] body, long storedNanos, long freshUntilNanos) {

        boolean isFresh(long now) {
            return now < freshUntilNanos;
        }

        boolean hasValidator() {
            return headers.contains(HttpHeaderNames.ETAG) || headers.contains(HttpHeaderNames.LAST_MODIFIED);
        }

        Response toResponse(long now, String cacheStatus) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
            head.headers().set(headers);
            head.headers().setInt(HttpHeaderNames.AGE, (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toSeconds(now - storedNanos)));
            head.headers().set(STATUS_HEADER, cacheStatus);
            head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            return new Response(head, new FixedBody(Unpooled.wrappedBuffer(body)));
        }
    }

    /** What the cache knows about one request. */
    record Lookup(String key, Entry fresh, Entry stale) {

        /** For a request the Proxy sends without consulting a cache: nothing known, nothing to revalidate. */
        static final Lookup NONE = new Lookup("", null, null);
    }

    private final MemoryCacheSpec spec;
    private final Set<Integer> codes;
    private final Set<String> methods;
    private final Cache<String, Entry> entries;
    /** The header names each URL's answers vary on. */
    private final Cache<String, List<String>> varyNames;

    ResponseCache(MemoryCacheSpec spec) {
        this.spec = spec;
        this.codes = Set.copyOf(spec.codes());
        this.methods = Set.copyOf(spec.methods());
        this.entries = Caffeine.newBuilder()
                .maximumWeight(spec.maxTotalBytes())
                .weigher((String key, Entry e) -> e.body().length + key.length() + ENTRY_OVERHEAD)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry e, long now) {
                        long fresh = Math.max(0, e.freshUntilNanos() - System.nanoTime());
                        return e.hasValidator() ? fresh + STALE_KEEP_NANOS : fresh;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry e, long now, long current) {
                        return expireAfterCreate(key, e, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry e, long now, long current) {
                        return current;
                    }
                })
                .executor(Runnable::run)
                .build();
        this.varyNames = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run).build();
    }

    /** Null when this request may not be answered from or stored in the cache. */
    Lookup lookup(HttpRequest request, String scheme) {
        HttpHeaders headers = request.headers();
        if (!methods.contains(request.method().name()) || headers.contains(HttpHeaderNames.AUTHORIZATION)) {
            return null;
        }
        String url = urlOf(request, scheme);
        List<String> vary = varyNames.getIfPresent(url);
        String key = vary == null ? url : keyOf(url, vary, headers);
        Entry entry = entries.getIfPresent(key);
        if (entry == null) {
            return new Lookup(key, null, null);
        }
        boolean clientWantsCheck = headers.containsValue(HttpHeaderNames.CACHE_CONTROL, "no-cache", true)
                || headers.containsValue(HttpHeaderNames.PRAGMA, "no-cache", true);
        if (entry.isFresh(System.nanoTime()) && !clientWantsCheck) {
            return new Lookup(key, entry, null);
        }
        return new Lookup(key, null, entry.hasValidator() ? entry : null);
    }

    /** Asks the upstream whether the stale entry still holds, unless the client asked its own question. */
    static void addValidators(Lookup lookup, HttpHeaders forwarded) {
        if (lookup.stale() == null || forwarded.contains(HttpHeaderNames.IF_NONE_MATCH)
                || forwarded.contains(HttpHeaderNames.IF_MODIFIED_SINCE)) {
            return;
        }
        String etag = lookup.stale().headers().get(HttpHeaderNames.ETAG);
        if (etag != null) {
            forwarded.set(HttpHeaderNames.IF_NONE_MATCH, etag);
        }
        String modified = lookup.stale().headers().get(HttpHeaderNames.LAST_MODIFIED);
        if (modified != null) {
            forwarded.set(HttpHeaderNames.IF_MODIFIED_SINCE, modified);
        }
    }

    /**
     * The upstream said the stale entry still holds (304): it is fresh again, for the time the 304 allows,
     * with the header fields the 304 carries replacing the stored ones (RFC 9111 §4.3.4). A 304 that
     * forbids storing answers this request and drops the entry.
     */
    Entry revalidated(Lookup lookup, HttpResponse notModified) {
        long now = System.nanoTime();
        Entry stale = lookup.stale();
        HttpHeaders updated = new DefaultHttpHeaders().set(stale.headers());
        for (String name : notModified.headers().names()) {
            if (!NOT_UPDATED_BY_304.contains(name.toLowerCase(Locale.ROOT))) {
                updated.set(name, notModified.headers().getAll(name));
            }
        }
        // The stored answer's own rules as the 304 updated them; a 304 that makes it one client's (a cookie, one
        // CORS origin) answers this request and leaves the cache, as such an answer is never stored.
        boolean personal = notModified.headers().contains(HttpHeaderNames.SET_COOKIE) || allowsOneOrigin(updated);
        long ttl = personal ? -1 : freshnessNanos(updated);
        long age = ageNanos(notModified.headers());
        Entry refreshed = new Entry(stale.status(), updated, stale.body(), now - age, now - age + Math.max(ttl, 0));
        if (ttl < 0) {
            entries.invalidate(lookup.key());
        } else {
            entries.put(lookup.key(), refreshed);
        }
        return refreshed;
    }

    /**
     * The answer to send: {@code answer} itself, with its body copied into the cache as it
     * streams when it may be stored. Marks it MISS either way.
     */
    Response storeWhileStreaming(HttpRequest request, String scheme, Response answer, ByteBufAllocator alloc) {
        HttpResponse head = answer.head();
        head.headers().set(STATUS_HEADER, "MISS");
        HttpHeaders headers = head.headers();
        long length = HttpUtil.getContentLength(head, -1L);
        if (!request.method().name().equals("GET") || !codes.contains(head.status().code())
                || headers.contains(HttpHeaderNames.SET_COOKIE) || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                || length > spec.maxEntryBytes() || allowsOneOrigin(headers) || forbidsStoring(request.headers())) {
            return answer;
        }
        long ttl = freshnessNanos(headers);
        List<String> vary = varyOf(headers);
        if (ttl < 0 || vary == null) {
            return answer;
        }
        long age = ageNanos(headers);
        String url = urlOf(request, scheme);
        String key = keyOf(url, vary, request.headers());
        if (!headers.contains(HttpHeaderNames.DATE)) {
            // Dated when it came (RFC 9110 §6.6.1), not when each copy is served: Expires and Age stay true of it.
            headers.set(HttpHeaderNames.DATE, io.netty.handler.codec.DateFormatter.format(new java.util.Date()));
        }
        HttpHeaders stored = new DefaultHttpHeaders().set(headers);
        stored.remove(STATUS_HEADER);
        stored.remove(HttpHeaderNames.CONTENT_LENGTH);
        stored.remove(HttpHeaderNames.TRANSFER_ENCODING);
        BodyStream copying = new TeeBody(answer.body(), alloc.compositeBuffer(Integer.MAX_VALUE), spec.maxEntryBytes(), whole -> {
            byte[] bytes = ByteBufUtil.getBytes(whole);
            whole.release();
            // Its age when it came (a cache upstream of us may have held it): stored as that much older.
            long storedAt = System.nanoTime() - age;
            varyNames.put(url, vary);
            entries.put(key, new Entry(head.status().code(), stored, bytes, storedAt, storedAt + ttl));
        }, () -> { });
        return new Response(head, copying, null);
    }

    /** Nanoseconds the answer stays fresh, 0 to store but always revalidate, -1 when it must not be stored. */
    private long freshnessNanos(HttpHeaders headers) {
        long ttl = TimeUnit.MILLISECONDS.toNanos(spec.expiration().toMillis());
        long maxAge = -1;
        long sharedMaxAge = -1;
        for (String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : value.toLowerCase(Locale.ROOT).split(",")) {
                String d = directive.trim();
                if (d.equals("no-store") || d.equals("private") || d.startsWith("private=")) {
                    return -1;
                }
                if (d.equals("no-cache")) {
                    ttl = 0;
                } else if (d.startsWith("s-maxage=")) {
                    sharedMaxAge = seconds(d.substring(9));
                } else if (d.startsWith("max-age=")) {
                    maxAge = seconds(d.substring(8));
                }
            }
        }
        if (ttl == 0) {
            return 0;
        }
        long seconds = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
        return seconds >= 0 ? Math.min(TimeUnit.SECONDS.toNanos(seconds), ttl) : ttl;
    }

    /** Delta-seconds; a value too large for the cache's arithmetic is taken as 2^31 (RFC 9111 §1.2.2), a malformed one as 0. */
    private static long seconds(String text) {
        String digits = text.trim().replace("\"", "");
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return digits.length() > 10 ? MAX_DELTA_SECONDS : Math.min(Long.parseLong(digits), MAX_DELTA_SECONDS);
    }

    /** The answer's {@code Age} (how long caches before this one held it), in nanoseconds. */
    private static long ageNanos(HttpHeaders headers) {
        String age = headers.get(HttpHeaderNames.AGE);
        return age == null ? 0 : TimeUnit.SECONDS.toNanos(seconds(age));
    }

    /** Scheme, host and target: an answer over https is not served to http requests, nor the other way round. */
    private static String urlOf(HttpRequest request, String scheme) {
        return scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "") + " " + request.uri();
    }

    /**
     * An answer that lets one origin (not every origin) read it is for that origin's page: served from the
     * cache to a page of another origin, the browser would block it. Not stored, as Easegress does.
     */
    private static boolean allowsOneOrigin(HttpHeaders headers) {
        String origin = headers.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
        return origin != null && !origin.isEmpty() && !origin.equals("*");
    }

    /** The request's own {@code Cache-Control: no-store} (RFC 9111 §5.2.1.5). */
    private static boolean forbidsStoring(HttpHeaders request) {
        for (String value : request.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : value.split(",")) {
                if (directive.trim().equalsIgnoreCase("no-store")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The header names the answer varies on, lower-case; null for {@code Vary: *} (never stored). */
    private static List<String> varyOf(HttpHeaders headers) {
        List<String> names = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.VARY)) {
            for (String name : value.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (n.equals("*")) {
                    return null;
                }
                if (!n.isEmpty() && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        return List.copyOf(names);
    }

    private static String keyOf(String url, List<String> vary, HttpHeaders request) {
        if (vary.isEmpty()) {
            return url;
        }
        StringBuilder key = new StringBuilder(url);
        for (String name : vary) {
            key.append('\n').append(name).append('=').append(String.join(",", request.getAll(name)));
        }
        return key.toString();
    }
}
