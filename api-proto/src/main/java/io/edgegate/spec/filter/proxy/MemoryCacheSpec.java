package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A pool's {@code memoryCache} (Easegress format, with HTTP's caching rules): answers with
 * one of {@code codes} to one of {@code methods}, of at most {@code maxEntryBytes}, are kept
 * for the time the answer allows ({@code s-maxage}, {@code max-age}) or else
 * {@code expiration}; {@code no-store}, {@code private}, {@code Vary: *} and answers that set
 * cookies are never kept. EdgeGate adds {@code maxTotalBytes} (default 64 MB), the bound on all
 * entries together, least recently used first out.
 */
public record MemoryCacheSpec(List<Integer> codes, List<String> methods, Duration expiration, long maxEntryBytes,
                              long maxTotalBytes) {

    public static final long DEFAULT_MAX_TOTAL = 64L * 1024 * 1024;

    public MemoryCacheSpec {
        codes = List.copyOf(codes);
        methods = List.copyOf(methods);
    }

    static MemoryCacheSpec decode(SpecObject o) {
        List<Integer> codes = o.list("codes", n -> n.asInt(100, 599));
        List<String> methods = o.stringList("methods").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
        for (int i = 0; i < methods.size(); i++) {
            if (!methods.get(i).equals("GET") && !methods.get(i).equals("HEAD")) {
                o.error("methods[" + i + "]", "'" + methods.get(i) + "' answers are not cacheable here (expected GET or HEAD)");
            }
        }
        Duration expiration = o.duration("expiration", Duration.ofSeconds(10));
        long maxEntry = o.longValue("maxEntryBytes", 4096, 1, Long.MAX_VALUE);
        long maxTotal = o.longValue("maxTotalBytes", DEFAULT_MAX_TOTAL, 1, Long.MAX_VALUE);
        if (maxEntry > maxTotal) {
            o.error("maxEntryBytes", "is larger than maxTotalBytes (" + maxTotal + ")");
        }
        o.finish();
        return new MemoryCacheSpec(codes.isEmpty() ? List.of(200) : codes, methods.isEmpty() ? List.of("GET", "HEAD") : methods,
                expiration, maxEntry, maxTotal);
    }
}
