package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.codec.SpecObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An adaptor's {@code header}: names to delete, then values to set, then values to add; values are templates. */
public record HeaderChanges(List<String> del, Map<String, RequestTemplate> set, Map<String, RequestTemplate> add) {

    public static final HeaderChanges NONE = new HeaderChanges(List.of(), Map.of(), Map.of());

    public HeaderChanges {
        del = List.copyOf(del);
        set = Map.copyOf(set);
        add = Map.copyOf(add);
    }

    public static HeaderChanges optional(SpecObject parent) {
        Optional<SpecObject> o = parent.object("header");
        if (o.isEmpty()) {
            return NONE;
        }
        SpecObject h = o.get();
        List<String> del = h.stringList("del");
        Map<String, RequestTemplate> set = templates(h, "set");
        Map<String, RequestTemplate> add = templates(h, "add");
        h.finish();
        return new HeaderChanges(del, set, add);
    }

    private static Map<String, RequestTemplate> templates(SpecObject h, String key) {
        Map<String, RequestTemplate> out = new LinkedHashMap<>();
        h.stringMap(key).forEach((name, value) -> {
            try {
                out.put(name, RequestTemplate.parse(value));
            } catch (IllegalArgumentException e) {
                h.error(key + "." + name, e.getMessage());
            }
        });
        return out;
    }
}
