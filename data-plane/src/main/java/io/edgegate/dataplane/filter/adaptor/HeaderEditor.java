package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.adaptor.HeaderChanges;
import io.edgegate.spec.filter.adaptor.RequestTemplate;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An adaptor's header changes, with their values filled in from the request as it was when
 * the adaptor started (so a change never reads another change's result), applied in
 * Easegress's order: delete, then set, then add.
 */
final class HeaderEditor {

    private record Value(String name, String value) {
    }

    private final HeaderChanges changes;
    private final List<Value> set;
    private final List<Value> add;

    private HeaderEditor(HeaderChanges changes, List<Value> set, List<Value> add) {
        this.changes = changes;
        this.set = set;
        this.add = add;
    }

    static HeaderEditor render(HeaderChanges changes, RequestContext context, HttpRequest request) {
        return new HeaderEditor(changes, values(changes.set(), context, request), values(changes.add(), context, request));
    }

    void applyTo(HttpHeaders headers) {
        for (String name : changes.del()) {
            headers.remove(name);
        }
        set.forEach(v -> headers.set(v.name(), v.value()));
        add.forEach(v -> headers.add(v.name(), v.value()));
    }

    private static List<Value> values(Map<String, RequestTemplate> templates, RequestContext context, HttpRequest request) {
        List<Value> values = new ArrayList<>(templates.size());
        templates.forEach((name, template) -> values.add(new Value(name, TemplateRenderer.render(template, context, request))));
        return values;
    }
}
