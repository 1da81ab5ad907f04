package io.edgegate.dataplane.filter.builder;

/** YAML a DataBuilder rendered, as template data: string keys, integers kept whole (Easegress's yaml.v3 decodes them as int). */
public final class BuilderValues {

    private BuilderValues() {
    }

    public static Object fromYaml(Object parsed) {
        try {
            return BodyValues.plain(parsed, false);
        } catch (io.edgegate.template.TemplateFunctionException e) {
            throw new BuiltMessages.BuildException(e.getMessage());
        }
    }
}
