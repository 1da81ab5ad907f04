package io.edgegate.template;

import java.util.List;

/**
 * A function a template can call: its name, how many arguments it takes ({@code maxArgs} -1:
 * any number from {@code minArgs}) and what it does. Failures are thrown as
 * {@link TemplateFunctionException}.
 */
public record TemplateFunction(String name, int minArgs, int maxArgs, Body body) {

    @FunctionalInterface
    public interface Body {
        Object call(List<Object> args);
    }

    public static TemplateFunction of(String name, int args, Body body) {
        return new TemplateFunction(name, args, args, body);
    }

    public static TemplateFunction variadic(String name, int minArgs, Body body) {
        return new TemplateFunction(name, minArgs, -1, body);
    }
}
