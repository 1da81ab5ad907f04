package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.http.HeaderKeys;
import io.edgegate.template.TemplateObject;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Go's {@code http.Header} and {@code url.Values} as a template sees them: a map of names to
 * lists of values ({@code index .Header "Accept"}) with the methods {@code Get} and
 * {@code Values}. Header names are canonical ({@code Content-Type}), as Go keeps them.
 */
final class ValuesView extends AbstractMap<String, Object> implements TemplateObject {

    private final Map<String, Object> values;
    private final boolean header;

    private ValuesView(Map<String, Object> values, boolean header) {
        this.values = values;
        this.header = header;
    }

    static ValuesView headers(Iterable<Map.Entry<String, String>> entries) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries) {
            list(values, HeaderKeys.canonical(e.getKey())).add(e.getValue());
        }
        return new ValuesView(values, true);
    }

    static ValuesView query(Map<String, List<String>> parameters) {
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.forEach((name, list) -> values.put(name, new ArrayList<Object>(list)));
        return new ValuesView(values, false);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> values, String name) {
        return (List<Object>) values.computeIfAbsent(name, n -> new ArrayList<>());
    }

    @Override
    public Object member(String name, List<Object> args) {
        return switch (name) {
            case "Get" -> {
                Object values = get(key(args));
                yield values instanceof List<?> l && !l.isEmpty() ? l.get(0) : "";
            }
            case "Values" -> {
                Object values = get(key(args));
                yield values == null ? List.of() : values;
            }
            default -> {
                if (!args.isEmpty()) {
                    yield NO_SUCH_MEMBER;
                }
                yield values.containsKey(name) ? values.get(name) : io.edgegate.template.GoValues.NO_VALUE;
            }
        };
    }

    private String key(List<Object> args) {
        if (args.size() != 1 || !(args.get(0) instanceof String key)) {
            throw new io.edgegate.template.TemplateFunctionException("wrong number or type of args: want one string");
        }
        return header ? HeaderKeys.canonical(key) : key;
    }

    @Override
    public String typeName() {
        return header ? "http.Header" : "url.Values";
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    @Override
    public Object get(Object key) {
        return values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public String toString() {
        return "map" + values.toString().replace('{', '[').replace('}', ']').replace('=', ':').replace(", ", " ");
    }
}
