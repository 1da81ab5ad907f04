package io.edgegate.template;

import io.edgegate.template.Node.ListNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A template in Go's {@code text/template} language, parsed once and executed many times
 * (immutable, so one instance serves every event loop). Parse errors and run-time errors are
 * {@link TemplateException}s with the line and column in the template source.
 */
public final class Template {

    private final ListNode root;
    private final Map<String, ListNode> definitions;
    private final Functions functions;

    private Template(ListNode root, Map<String, ListNode> definitions, Functions functions) {
        this.root = root;
        this.definitions = Map.copyOf(definitions);
        this.functions = functions;
    }

    /** Parses {@code source} with the default delimiters, {{ and }}. */
    public static Template parse(String source, Functions functions) {
        return parse(source, "", "", functions);
    }

    /** Parses {@code source}; empty delimiters mean the defaults, as in Go's {@code Delims}. */
    public static Template parse(String source, String leftDelim, String rightDelim, Functions functions) {
        Parser parser = new Parser(new Lexer(source, leftDelim, rightDelim).lex(), functions::has);
        ListNode root;
        try {
            root = parser.parse();
        } catch (StackOverflowError e) {
            // Thousands of nested parentheses or ifs: refused, never a dead decoding thread.
            throw new TemplateException(1, 1, "the template nests too deeply");
        }
        return new Template(root, new LinkedHashMap<>(parser.definitions()), functions);
    }

    /** Runs the template with {@code data} as dot and {@code $}. */
    public String execute(Object data) {
        try {
            return new Executor(definitions, functions, "").run(root, data);
        } catch (StackOverflowError e) {
            throw new TemplateException(0, 0, "executing template: nested too deeply");
        }
    }

    /** The names of the templates it defines with {@code define} or {@code block}. */
    public Set<String> definedTemplates() {
        return definitions.keySet();
    }
}
