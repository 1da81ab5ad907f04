package io.edgegate.spec.filter.apiaggregator;

import io.edgegate.spec.Names;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.adaptor.HeaderChanges;
import io.edgegate.spec.filter.adaptor.PathChange;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * APIAggregator (Easegress v1): the request is sent to each of {@code pipelines} (with its own
 * {@code method}, {@code path} and {@code header} changes, without the body when
 * {@code disableBody}), and their 200 answers' JSON objects become one answer: merged into one
 * object ({@code mergeResponse}) or listed in an array. Any other answer fails the request (503,
 * {@code X-EG-Aggregator: failed-in-<pipeline>}) unless {@code partialSucceed}. Bodies are at
 * most {@code maxBodyBytes} (10,240 by default); {@code timeout} (60 s) bounds the whole.
 */
public record ApiAggregatorSpec(String name, long maxBodyBytes, boolean partialSucceed, Duration timeout, boolean mergeResponse,
                                List<Target> pipelines) implements FilterSpec {

    public static final String KIND = "APIAggregator";
    public static final String RESULT_FAILED = "failed";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_FAILED), ApiAggregatorSpec::decode);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE");

    /** A pipeline to call, and how its copy of the request differs. */
    public record Target(String name, Optional<String> method, PathChange path, HeaderChanges header, boolean disableBody) {
    }

    public ApiAggregatorSpec {
        pipelines = List.copyOf(pipelines);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static ApiAggregatorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        long maxBody = o.longValue("maxBodyBytes", 10_240, 0, 102_400);
        boolean partial = o.bool("partialSucceed", false);
        Duration timeout = o.duration("timeout", Duration.ofSeconds(60));
        boolean merge = o.bool("mergeResponse", false);
        List<Target> targets = o.list("pipelines", n -> {
            SpecObject t = n.asObject();
            String pipeline = Names.read(t, "name");
            Optional<String> method = t.optionalString("method").filter(m -> !m.isEmpty()).map(m -> m.toUpperCase(Locale.ROOT));
            method.filter(m -> !METHODS.contains(m)).ifPresent(m -> t.error("method", "'" + m + "' is not an HTTP method"));
            PathChange path = PathChange.optional(t);
            HeaderChanges header = HeaderChanges.optional(t);
            boolean disableBody = t.bool("disableBody", false);
            t.finish();
            return new Target(pipeline, method, path, header, disableBody);
        });
        if (targets.isEmpty()) {
            o.error("pipelines", "an APIAggregator needs the pipelines to call");
        }
        if (timeout.isNegative()) {
            o.error("timeout", "must not be negative");
        }
        return new ApiAggregatorSpec(name, maxBody, partial, timeout, merge, targets);
    }
}
