package io.edgegate.spec.filter.builder;

import io.edgegate.spec.codec.SpecObject;
import io.edgegate.template.Functions;
import io.edgegate.template.Template;
import io.edgegate.template.TemplateException;

/**
 * The Go template of an Easegress builder filter ({@code template}, {@code leftDelim},
 * {@code rightDelim}), checked when the object is applied: a template that does not parse, or
 * calls a function that does not exist, is refused with its line and column.
 */
public record BuilderTemplate(String source, String leftDelim, String rightDelim) {

    /** Parses the template (once per config on a node; the spec keeps only its text). */
    public Template compile() {
        return Template.parse(source, leftDelim, rightDelim, Functions.easegress());
    }

    /** Reads the three fields; null when there is no template. */
    public static BuilderTemplate decode(SpecObject o) {
        String leftDelim = o.string("leftDelim", "");
        String rightDelim = o.string("rightDelim", "");
        if (!o.has("template") || o.string("template", "").isEmpty()) {
            return null;
        }
        BuilderTemplate template = new BuilderTemplate(o.string("template", ""), leftDelim, rightDelim);
        try {
            template.compile();
        } catch (TemplateException e) {
            o.error("template", "the template does not parse: " + e.getMessage());
        }
        return template;
    }

    /** What a Request or ResponseBuilder copies from ({@code sourceNamespace}) or renders ({@code template}): one of the two. */
    public record Source(String sourceNamespace, BuilderTemplate template) {
    }

    /** Reads {@code sourceNamespace} or {@code template} (exactly one) and {@code protocol}, as Easegress checks them. */
    public static Source sourceOrTemplate(SpecObject o) {
        String source = o.string("sourceNamespace", "");
        BuilderTemplate template = decode(o);
        checkProtocol(o);
        if (source.isEmpty() && template == null) {
            o.error("sourceNamespace or template must be specified");
        } else if (!source.isEmpty() && template != null) {
            o.error("sourceNamespace and template cannot be specified at the same time");
        }
        return new Source(source, template);
    }

    /** Easegress builds HTTP requests and responses only; other protocols are refused by name. */
    public static void checkProtocol(SpecObject o) {
        String protocol = o.string("protocol", "http");
        if (!protocol.isEmpty() && !protocol.equals("http")) {
            o.error("protocol", "protocol '" + protocol + "' is not supported by EdgeGate yet (builders make HTTP requests and responses)");
        }
    }
}
