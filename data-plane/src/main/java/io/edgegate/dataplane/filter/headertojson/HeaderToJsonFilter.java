package io.edgegate.dataplane.filter.headertojson;

import io.edgegate.dataplane.http.BodyCollector;
import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.headertojson.HeaderToJsonSpec;
import io.edgegate.template.GoJson;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Puts request headers into the JSON body. The body is read whole (it is rewritten), only when
 * one of the headers is present; the JSON is written as Easegress writes it (Go's encoder: keys
 * sorted, numbers as float64).
 */
final class HeaderToJsonFilter implements Filter {

    private static final long BODY_LIMIT = 4L * 1024 * 1024;
    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> BODY_READ_ERROR = CompletableFuture.completedFuture(HeaderToJsonSpec.RESULT_BODY_READ_ERROR);

    private final HeaderToJsonSpec spec;

    HeaderToJsonFilter(HeaderToJsonSpec spec) {
        this.spec = spec;
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpRequest request = context.request();
        Map<String, Object> fields = new LinkedHashMap<>();
        for (HeaderToJsonSpec.Mapping mapping : spec.headerMap()) {
            String value = request.headers().get(mapping.header());
            if (value != null && !value.isEmpty()) {
                fields.put(mapping.json(), value);
            }
        }
        if (fields.isEmpty()) {
            return DONE;
        }
        BodyStream body = context.requestBody();
        // Easegress answers neither failure itself: the flow ends on the result with no response,
        // which its server sends as an empty 503 (v2 Pipeline; v1 HTTPPipeline's default 200), unless jumpIf goes on.
        if (body.contentLength() > BODY_LIMIT) {
            return BODY_READ_ERROR;
        }
        return BodyCollector.collectBytes(body, context.alloc(), BODY_LIMIT).handle((bytes, error) -> {
            if (error != null) {
                return HeaderToJsonSpec.RESULT_BODY_READ_ERROR;
            }
            Object merged;
            try {
                merged = merged(bytes, fields);
            } catch (IOException | IllegalArgumentException e) {
                // Kept as it came, for a jumpIf that goes on to the backend.
                context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(bytes)));
                return HeaderToJsonSpec.RESULT_JSON_ERROR;
            }
            byte[] json = GoJson.marshal(merged).getBytes(StandardCharsets.UTF_8);
            context.replaceRequestBody(new FixedBody(Unpooled.wrappedBuffer(json)));
            request.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
            return SUCCESS;
        });
    }


    /** The body with the fields merged in: Easegress decides by the first byte that is not blank. */
    private static Object merged(byte[] body, Map<String, Object> fields) throws IOException {
        int first = 0;
        while (first < body.length && (body[first] == ' ' || body[first] == '\n' || body[first] == '\t' || body[first] == '\r')) {
            first++;
        }
        if (first == body.length) {
            return fields;
        }
        Object tree = GoJson.unmarshal(body);
        if (body[first] == '{' && tree instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            object.putAll(fields);
            return object;
        }
        if (body[first] == '[' && tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object element : list) {
                if (!(element instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("an array element is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) map;
                object.putAll(fields);
                out.add(object);
            }
            return out;
        }
        throw new IllegalArgumentException("not a JSON object or array");
    }
}
