package io.edgegate.spec.filter.headerlookup;

import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * HeaderLookup (Easegress): the value of header {@code headerKey} (followed by "-" and the
 * first group of {@code pathRegExp} when the path matches) names a record of the CustomData
 * {@code etcdPrefix} (its {@code name} field, Easegress's default id field); the record's
 * fields named by {@code headerSetters[].etcdKey} are set as request headers
 * {@code headerSetters[].headerKey}. A request without the header, or without a record, passes
 * unchanged.
 */
public record HeaderLookupSpec(String name, String headerKey, String customData, Optional<String> pathRegExp,
                               List<Setter> headerSetters) implements FilterSpec {

    public static final String KIND = "HeaderLookup";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(), HeaderLookupSpec::decode);

    /** A record field and the header it is set as. */
    public record Setter(String etcdKey, String headerKey) {
    }

    public HeaderLookupSpec {
        headerSetters = List.copyOf(headerSetters);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static HeaderLookupSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String headerKey = o.requiredString("headerKey");
        if (!headerKey.isEmpty() && !HttpTokens.isHeaderName(headerKey)) {
            o.error("headerKey", "'" + headerKey + "' is not a header name");
        }
        // Easegress keeps custom data under /custom-data/<kind>/: the prefix names the CustomData object here.
        String prefix = o.requiredString("etcdPrefix").replaceAll("^/+|/+$", "");
        Optional<String> pathRegExp = o.optionalString("pathRegExp").filter(p -> !p.isEmpty());
        pathRegExp.ifPresent(p -> io.edgegate.spec.server.Regexps.check(p, o, "pathRegExp"));
        List<Setter> setters = o.list("headerSetters", n -> {
            SpecObject s = n.asObject();
            String etcdKey = s.requiredString("etcdKey");
            String header = s.requiredString("headerKey");
            if (!header.isEmpty() && !HttpTokens.isHeaderName(header)) {
                s.error("headerKey", "'" + header + "' is not a header name");
            }
            s.finish();
            return new Setter(etcdKey, header);
        });
        if (setters.isEmpty()) {
            o.error("headerSetters", "at least one headerSetter is required");
        }
        return new HeaderLookupSpec(name, headerKey, prefix, pathRegExp, setters);
    }
}
