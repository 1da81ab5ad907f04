package io.edgegate.dataplane.filter.headerlookup;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.route.RequestTarget;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.filter.headerlookup.HeaderLookupSpec;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sets request headers from the CustomData record the request's header names. Records are read
 * from the node's current custom data at each request, so a changed record applies at once.
 */
final class HeaderLookupFilter implements Filter {

    private static final CompletableFuture<String> DONE = CompletableFuture.completedFuture(SUCCESS);

    private final HeaderLookupSpec spec;
    private final CustomDataView customData;
    private final Pattern pathRegExp;

    HeaderLookupFilter(HeaderLookupSpec spec, CustomDataView customData) {
        this.spec = spec;
        this.customData = customData;
        this.pathRegExp = spec.pathRegExp().map(io.edgegate.spec.server.Regexps::compile).orElse(null);
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        HttpHeaders headers = context.request().headers();
        String id = headers.get(spec.headerKey());
        if (id == null || id.isEmpty()) {
            return DONE;
        }
        if (pathRegExp != null) {
            Matcher match = pathRegExp.matcher(RequestTarget.matchingPath(RequestTarget.path(context.request().uri())));
            if (match.find() && match.groupCount() >= 1) {
                // As Easegress (Go's FindStringSubmatch): a group that took no part in the match is empty, the dash stays.
                id = id + "-" + (match.group(1) == null ? "" : match.group(1));
            }
        }
        Optional<Map<String, String>> record = record(id);
        if (record.isEmpty()) {
            return DONE;
        }
        for (HeaderLookupSpec.Setter setter : spec.headerSetters()) {
            String value = record.get().get(setter.etcdKey());
            if (value != null) {
                headers.set(setter.headerKey(), value);
            }
        }
        return DONE;
    }

    private Optional<Map<String, String>> record(String id) {
        Optional<CustomDataSpec> data = customData.get(spec.customData());
        if (data.isEmpty()) {
            return Optional.empty();
        }
        // The record whose id (its CustomDataKind's idField, "name" by default) is the header's value, as Easegress keys it.
        String idField = customData.idField(spec.customData());
        return data.get().records().stream().filter(r -> id.equals(r.get(idField))).findFirst();
    }
}
