package io.edgegate.spec.filter.simplehttpproxy;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.time.Duration;
import java.util.Set;

/**
 * SimpleHTTPProxy (Easegress): sends the request to where it says it goes — its absolute URL
 * (a forward proxy's request line, {@code GET http://host/path}) or else its Host, over
 * http — and answers with the response. {@code timeout} bounds the answer ({@code timeout}
 * result, 504). Responses stream without a size limit ({@code serverMaxBodySize: -1}).
 */
public record SimpleHttpProxySpec(String name, Duration timeout) implements FilterSpec {

    public static final String KIND = "SimpleHTTPProxy";
    public static final String RESULT_TIMEOUT = "timeout";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(ProxySpec.RESULT_INTERNAL_ERROR,
            ProxySpec.RESULT_CLIENT_ERROR, ProxySpec.RESULT_SERVER_ERROR, ProxySpec.RESULT_FAILURE_CODE, RESULT_TIMEOUT),
            SimpleHttpProxySpec::decode);

    @Override
    public String kind() {
        return KIND;
    }

    static SimpleHttpProxySpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        long maxBody = o.longValue("serverMaxBodySize", -1, -1, Long.MAX_VALUE);
        if (maxBody > 0) {
            o.error("serverMaxBodySize", "responses stream without a size limit; only -1 (no limit) is supported yet");
        }
        // Idle upstream connections are kept per server and event loop, as for a Proxy: these ask for nothing more.
        o.integer("maxIdleConns", 0, 0, Integer.MAX_VALUE);
        o.integer("maxIdleConnsPerHost", 0, 0, Integer.MAX_VALUE);
        o.unsupported("compression of a SimpleHTTPProxy's answers is not built; a Proxy compresses", "compression");
        o.unsupported("retries of a SimpleHTTPProxy are not built; a Proxy pool's retryPolicy retries", "retryPolicy");
        Duration timeout = o.duration("timeout", Duration.ZERO);
        return new SimpleHttpProxySpec(name, timeout);
    }
}
