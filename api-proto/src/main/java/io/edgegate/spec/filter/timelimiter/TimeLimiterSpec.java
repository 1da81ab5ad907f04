package io.edgegate.spec.filter.timelimiter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.match.UrlMatchSpec;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The v1 TimeLimiter filter: limits how long the filters after it may wait for an upstream
 * answer — the first matching {@code urls} entry's {@code timeoutDuration}, or
 * {@code defaultTimeoutDuration} (500ms) for an entry without one; requests no entry selects
 * have no limit, as in Easegress. Past it the Proxy answers 504 and closes the
 * upstream connection. The result {@code timeout} is declared so Easegress flows that name it
 * apply; the 504 itself comes from the Proxy (its {@code serverError}).
 */
public record TimeLimiterSpec(String name, Duration defaultTimeoutDuration, List<UrlTimeout> urls) implements FilterSpec {

    public static final String KIND = "TimeLimiter";
    public static final String RESULT_TIMEOUT = "timeout";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_TIMEOUT), TimeLimiterSpec::decode);

    /** Requests the {@code match} selects get {@code timeoutDuration}. */
    public record UrlTimeout(UrlMatchSpec match, Duration timeoutDuration) {
    }

    public TimeLimiterSpec {
        urls = List.copyOf(urls);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static TimeLimiterSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Duration fallback = positive(o, "defaultTimeoutDuration", o.duration("defaultTimeoutDuration", Duration.ofMillis(500)));
        List<UrlTimeout> urls = o.list("urls", n -> {
            SpecObject u = n.asObject();
            UrlMatchSpec match = UrlMatchSpec.readFields(u);
            Duration timeout = positive(u, "timeoutDuration", u.duration("timeoutDuration", fallback));
            u.finish();
            return new UrlTimeout(match, timeout);
        });
        return new TimeLimiterSpec(name, fallback, urls);
    }

    private static Duration positive(SpecObject o, String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            o.error(key, "must be positive, e.g. 500ms");
        }
        return value;
    }
}
