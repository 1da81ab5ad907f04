package io.edgegate.spec.filter.headertojson;

import io.edgegate.spec.HttpTokens;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.List;
import java.util.Set;

/**
 * HeaderToJSON (Easegress): request headers named in {@code headerMap} become fields of the
 * JSON body ({@code json} names the field): an empty body becomes an object of them, an object
 * gets them merged in, an array gets them merged into each element. Results:
 * {@code jsonEncodeDecodeErr} (the body is not a JSON object or array) and {@code bodyReadErr}
 * (it cannot be read, or is over 4 MB). Neither is answered by the filter, as in Easegress: without
 * a {@code jumpIf} the flow ends there with the pipeline's empty 503 (200 in a v1 HTTPPipeline).
 */
public record HeaderToJsonSpec(String name, List<Mapping> headerMap) implements FilterSpec {

    public static final String KIND = "HeaderToJSON";
    public static final String RESULT_JSON_ERROR = "jsonEncodeDecodeErr";
    public static final String RESULT_BODY_READ_ERROR = "bodyReadErr";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_JSON_ERROR, RESULT_BODY_READ_ERROR),
            HeaderToJsonSpec::decode);

    /** A header and the JSON field it becomes. */
    public record Mapping(String header, String json) {
    }

    public HeaderToJsonSpec {
        headerMap = List.copyOf(headerMap);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static HeaderToJsonSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        List<Mapping> mappings = o.list("headerMap", n -> {
            SpecObject m = n.asObject();
            String header = m.requiredString("header");
            if (!header.isEmpty() && !HttpTokens.isHeaderName(header)) {
                m.error("header", "'" + header + "' is not a header name");
            }
            String json = m.requiredString("json");
            m.finish();
            return new Mapping(header, json);
        });
        if (mappings.isEmpty()) {
            o.error("headerMap", "is required: the headers to put into the body");
        }
        return new HeaderToJsonSpec(name, mappings);
    }
}
