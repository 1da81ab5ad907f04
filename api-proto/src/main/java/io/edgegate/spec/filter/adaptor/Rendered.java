package io.edgegate.spec.filter.adaptor;

import io.edgegate.spec.codec.DecodeContext;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.codec.ValidationMode;
import java.util.function.Function;

/** What an adaptor's template rendered, decoded with the adaptor's own rules for its fields (strictly). */
final class Rendered {

    private static final DocumentParser PARSER = new DocumentParser();

    private Rendered() {
    }

    static <T> T decode(String rendered, Function<SpecObject, T> fields) throws SpecException {
        String text = rendered.isBlank() ? "{}" : rendered;
        DecodeContext context = new DecodeContext(ValidationMode.STRICT);
        SpecObject o = SpecNode.root(PARSER.parse(new SourceDocument("template output", 1, 1, text)), context).asObject();
        T decoded = fields.apply(o);
        o.finish();
        context.throwIfErrors();
        return decoded;
    }
}
