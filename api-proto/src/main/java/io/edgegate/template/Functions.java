package io.edgegate.template;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The functions a template may call, by name; a template naming any other fails to parse. */
public final class Functions {

    private final Map<String, TemplateFunction> byName;

    private Functions(Map<String, TemplateFunction> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Go's {@code text/template} built-ins only. */
    public static Functions go() {
        return of(GoBuiltins.all());
    }

    /**
     * What Easegress's builder filters offer: Go's built-ins, the sprig functions we implement
     * (see {@link SprigFunctions}) and Easegress's own ({@code mergeObject}, {@code jsonEscape},
     * {@code addf}, {@code header}…).
     */
    public static Functions easegress() {
        return go().with(SprigFunctions.all()).with(EasegressFunctions.all());
    }

    private static Functions of(Collection<TemplateFunction> functions) {
        Map<String, TemplateFunction> map = new LinkedHashMap<>();
        functions.forEach(f -> map.put(f.name(), f));
        return new Functions(map);
    }

    /** These functions and {@code more}; a function of {@code more} replaces one of the same name. */
    public Functions with(List<TemplateFunction> more) {
        Map<String, TemplateFunction> map = new LinkedHashMap<>(byName);
        more.forEach(f -> map.put(f.name(), f));
        return new Functions(map);
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    TemplateFunction get(String name) {
        return byName.get(name);
    }
}
