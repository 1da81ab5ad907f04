package io.edgegate.spec.filter.remotefilter;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

/**
 * RemoteFilter (Easegress): the request (and the response so far) are POSTed as JSON to
 * {@code url}, and what the service answers replaces them: a filter written in any language,
 * run as a service. {@code timeout} bounds the call. Results: {@code failed} (503: the call
 * failed, took too long, or answered no 2xx; a body over 64 KB) and {@code responseAlready}
 * (the service answered 205: its response is the answer).
 */
public record RemoteFilterSpec(String name, String url, Duration timeout) implements FilterSpec {

    public static final String KIND = "RemoteFilter";
    public static final String RESULT_FAILED = "failed";
    public static final String RESULT_RESPONSE_ALREADY = "responseAlready";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_FAILED, RESULT_RESPONSE_ALREADY),
            RemoteFilterSpec::decode);

    public URI uri() {
        return URI.create(url);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static RemoteFilterSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        String url = o.requiredString("url");
        if (!url.isEmpty()) {
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    o.error("url", "'" + url + "' is not an http or https URL with a host");
                }
            } catch (URISyntaxException e) {
                o.error("url", "'" + url + "' is not a URL: " + e.getReason());
            }
        }
        Duration timeout = o.duration("timeout", Duration.ZERO);
        return new RemoteFilterSpec(name, url, timeout);
    }
}
