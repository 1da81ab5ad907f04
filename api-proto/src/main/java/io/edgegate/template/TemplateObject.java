package io.edgegate.template;

import java.util.List;

/**
 * A value with fields and methods a template can reach ({@code .Method}, {@code .URL.Path},
 * {@code .Header.Get "Accept"}): what a Go struct or pointer is to {@code text/template}, named
 * explicitly instead of found by reflection.
 */
public interface TemplateObject {

    /** What {@link #member} returns for a name the object does not have. */
    Object NO_SUCH_MEMBER = new Object() {
        @Override
        public String toString() {
            return "<no such member>";
        }
    };

    /**
     * The field or method {@code name}, called with {@code args} (empty for a field). Throws
     * {@link TemplateFunctionException} when a method fails, as a Go method returning an error.
     */
    Object member(String name, List<Object> args);

    /** The Go type this stands for, for error messages ({@code *http.Request}). */
    String typeName();
}
