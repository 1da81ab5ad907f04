package io.edgegate.dataplane.filter.builder;

/** YAML a DataBuilder rendered, as template data: string keys, numbers as floats (Easegress reads it through JSON). */
public final class BuilderValues {

    private BuilderValues() {
    }

    public static Object fromYaml(Object parsed) {
        try {
            return BodyValues.plain(parsed, true);
        } catch (io.edgegate.template.TemplateFunctionException e) {
            throw new BuiltMessages.BuildException(e.getMessage());
        }
    }
}
