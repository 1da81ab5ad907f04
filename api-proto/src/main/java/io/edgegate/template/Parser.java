package io.edgegate.template;

import io.edgegate.template.Node.Branch;
import io.edgegate.template.Node.Command;
import io.edgegate.template.Node.ListNode;
import io.edgegate.template.Node.Pipe;
import io.edgegate.template.Node.Pos;
import io.edgegate.template.Token.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds the parse tree from tokens with Go's grammar: actions, pipelines, variables (which must
 * be declared before use), {@code if/else if/range/with/else/end}, {@code define}, {@code
 * template}, {@code block}, {@code break} and {@code continue}. Functions must exist when
 * the template is parsed, as in Go.
 */
final class Parser {

    /** The end of a list: {@code {{end}}} or {@code {{else}}}. */
    private record Stop(Type type, Pos pos) {
    }

    private final List<Token> tokens;
    private final Predicate<String> functionExists;
    private final Map<String, ListNode> definitions = new LinkedHashMap<>();
    private final List<String> variables = new ArrayList<>(List.of("$"));
    private int at;
    private int rangeDepth;

    Parser(List<Token> tokens, Predicate<String> functionExists) {
        this.tokens = tokens;
        this.functionExists = functionExists;
    }

    /** The main template; definitions found on the way are in {@link #definitions()}. */
    ListNode parse() {
        List<Node> root = new ArrayList<>();
        while (peek().type() != Type.EOF) {
            if (peek().type() == Type.LEFT_DELIM) {
                int mark = at;
                next();
                if (nextNonSpace().type() == Type.DEFINE) {
                    definition();
                    continue;
                }
                at = mark;
            }
            Object item = textOrAction();
            if (item instanceof Stop stop) {
                throw error(stop.pos(), "unexpected {{" + (stop.type() == Type.END ? "end" : "else") + "}}");
            }
            root.add((Node) item);
        }
        return new ListNode(root);
    }

    Map<String, ListNode> definitions() {
        return definitions;
    }

    private void definition() {
        Token name = nextNonSpace();
        String templateName = templateName(name, "define clause");
        expect(Type.RIGHT_DELIM, "define clause");
        List<String> saved = new ArrayList<>(variables);
        variables.clear();
        variables.add("$");
        Object[] listAndStop = itemList();
        Stop stop = (Stop) listAndStop[1];
        requireEnd(stop, "define", Pos.of(name));
        if (stop.type() != Type.END) {
            throw error(stop.pos(), "unexpected {{else}} in define clause");
        }
        variables.clear();
        variables.addAll(saved);
        definitions.put(templateName, (ListNode) listAndStop[0]);
    }

    private Object textOrAction() {
        Token token = nextNonSpace();
        return switch (token.type()) {
            case TEXT -> new Node.Text(token.text());
            case LEFT_DELIM -> action();
            default -> throw unexpected(token, "input");
        };
    }

    private Object action() {
        Token token = nextNonSpace();
        switch (token.type()) {
            case BLOCK:
                return blockControl(token);
            case BREAK:
                return loopControl(token, "break");
            case CONTINUE:
                return loopControl(token, "continue");
            case ELSE: {
                Token peek = peekNonSpace();
                if (peek.type() == Type.IF || peek.type() == Type.WITH) {
                    return new Stop(Type.ELSE, Pos.of(token));
                }
                expect(Type.RIGHT_DELIM, "else");
                return new Stop(Type.ELSE, Pos.of(token));
            }
            case END:
                expect(Type.RIGHT_DELIM, "end");
                return new Stop(Type.END, Pos.of(token));
            case IF:
                return control(Branch.Kind.IF, token);
            case RANGE:
                return control(Branch.Kind.RANGE, token);
            case WITH:
                return control(Branch.Kind.WITH, token);
            case TEMPLATE:
                return templateControl();
            default:
                back();
                return new Node.Action(Pos.of(peekNonSpace()), pipeline("command", Type.RIGHT_DELIM));
        }
    }

    private Node loopControl(Token token, String word) {
        Token next = nextNonSpace();
        if (next.type() != Type.RIGHT_DELIM) {
            throw unexpected(next, "{{" + word + "}}");
        }
        if (rangeDepth == 0) {
            throw error(Pos.of(token), "{{" + word + "}} outside {{range}}");
        }
        return word.equals("break") ? new Node.Break(Pos.of(token)) : new Node.Continue(Pos.of(token));
    }

    private Branch control(Branch.Kind kind, Token keyword) {
        int variablesBefore = variables.size();
        String context = kind.name().toLowerCase(java.util.Locale.ROOT);
        Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
        if (kind == Branch.Kind.RANGE) {
            rangeDepth++;
        }
        Object[] listAndStop = itemList();
        if (kind == Branch.Kind.RANGE) {
            rangeDepth--;
        }
        ListNode elseList = null;
        Stop stop = (Stop) listAndStop[1];
        requireEnd(stop, context, Pos.of(keyword));
        if (stop.type() == Type.ELSE) {
            Type following = peekNonSpace().type();
            if (kind == Branch.Kind.IF && following == Type.IF || kind == Branch.Kind.WITH && following == Type.WITH) {
                // {{else if x}} is {{else}}{{if x}}…{{end}}{{end}} with the inner end implied.
                Token inner = nextNonSpace();
                elseList = new ListNode(List.of(control(kind, inner)));
            } else {
                Object[] elseAndStop = itemList();
                Stop end = (Stop) elseAndStop[1];
                requireEnd(end, context, Pos.of(keyword));
                if (end.type() != Type.END) {
                    throw error(end.pos(), "expected end; found {{else}}");
                }
                elseList = (ListNode) elseAndStop[0];
            }
        }
        trimVariables(variablesBefore);
        return new Branch(kind, Pos.of(keyword), pipe, (ListNode) listAndStop[0], elseList);
    }

    private Node templateControl() {
        Token name = nextNonSpace();
        String templateName = templateName(name, "template clause");
        Pipe pipe = null;
        if (nextNonSpace().type() != Type.RIGHT_DELIM) {
            back();
            pipe = pipeline("template clause", Type.RIGHT_DELIM);
        }
        return new Node.TemplateCall(Pos.of(name), templateName, pipe);
    }

    /** {@code {{block "name" pipeline}}…{{end}}}: defines "name" and runs it here. */
    private Node blockControl(Token keyword) {
        Token name = nextNonSpace();
        String templateName = templateName(name, "block clause");
        Pipe pipe = pipeline("block clause", Type.RIGHT_DELIM);
        List<String> saved = new ArrayList<>(variables);
        variables.clear();
        variables.add("$");
        Object[] listAndStop = itemList();
        variables.clear();
        variables.addAll(saved);
        requireEnd((Stop) listAndStop[1], "block", Pos.of(keyword));
        if (((Stop) listAndStop[1]).type() != Type.END) {
            throw error(Pos.of(keyword), "unexpected {{else}} in block clause");
        }
        definitions.put(templateName, (ListNode) listAndStop[0]);
        return new Node.TemplateCall(Pos.of(name), templateName, pipe);
    }

    private String templateName(Token token, String context) {
        if (token.type() == Type.STRING || token.type() == Type.RAW_STRING) {
            return GoStrings.unquote(token.text(), Pos.of(token));
        }
        throw unexpected(token, context);
    }

    /** Nodes up to the next {{end}} or {{else}}: [ListNode, Stop]. */
    private Object[] itemList() {
        List<Node> nodes = new ArrayList<>();
        while (peekNonSpace().type() != Type.EOF) {
            Object item = textOrAction();
            if (item instanceof Stop stop) {
                return new Object[] {new ListNode(nodes), stop};
            }
            nodes.add((Node) item);
        }
        return new Object[] {new ListNode(nodes), new Stop(Type.EOF, Pos.of(peek()))};
    }

    /** An {{end}} that never came: said where the unclosed action is, not only where the text ends. */
    private static void requireEnd(Stop stop, String what, Pos opened) {
        if (stop.type() == Type.EOF) {
            throw error(opened, "unexpected EOF: {{" + what + "}} has no {{end}}");
        }
    }

    private Pipe pipeline(String context, Type end) {
        Token first = peekNonSpace();
        boolean assign = false;
        List<String> declared = new ArrayList<>();
        while (peekNonSpace().type() == Type.VARIABLE) {
            int mark = at;
            Token variable = nextNonSpace();
            Token following = peekNonSpace();
            if (following.type() == Type.ASSIGN || following.type() == Type.DECLARE) {
                assign = following.type() == Type.ASSIGN;
                nextNonSpace();
                declared.add(variable.text());
                break;
            }
            if (following.type() == Type.COMMA) {
                nextNonSpace();
                declared.add(variable.text());
                if (context.equals("range") && declared.size() < 2 && peekNonSpace().type() == Type.VARIABLE) {
                    continue;
                }
                throw error(Pos.of(following), context.equals("range") ? "range can only initialize variables"
                        : "too many declarations in " + context);
            }
            at = mark;
            break;
        }
        if (assign) {
            for (String name : declared) {
                if (!variables.contains(name)) {
                    throw error(Pos.of(first), "undefined variable \"" + name + "\"");
                }
            }
        } else {
            variables.addAll(declared);
        }
        List<Command> commands = new ArrayList<>();
        while (true) {
            Token token = nextNonSpace();
            if (token.type() == end) {
                break;
            }
            switch (token.type()) {
                case BOOL, CHAR, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE, LEFT_PAREN -> {
                    back();
                    commands.add(command());
                }
                default -> throw unexpected(token, context);
            }
        }
        if (commands.isEmpty()) {
            throw error(Pos.of(first), "missing value for " + context);
        }
        for (int i = 1; i < commands.size(); i++) {
            Node head = commands.get(i).args().get(0);
            if (head instanceof Node.Bool || head instanceof Node.Dot || head instanceof Node.Nil
                    || head instanceof Node.Number || head instanceof Node.Str) {
                throw error(commands.get(i).pos(), "non executable command in pipeline stage " + (i + 1));
            }
        }
        return new Pipe(Pos.of(first), assign, declared, commands);
    }

    private Command command() {
        Pos pos = Pos.of(peekNonSpace());
        List<Node> args = new ArrayList<>();
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) {
                args.add(operand);
            }
            Token token = next();
            if (token.type() == Type.SPACE) {
                continue;
            }
            if (token.type() == Type.RIGHT_DELIM || token.type() == Type.RIGHT_PAREN) {
                back();
            } else if (token.type() != Type.PIPE) {
                throw unexpected(token, "operand");
            } else {
                Token following = peekNonSpace();
                if (following.type() == Type.RIGHT_DELIM || following.type() == Type.RIGHT_PAREN || following.type() == Type.EOF) {
                    throw error(Pos.of(token), "missing command after |");
                }
            }
            break;
        }
        if (args.isEmpty()) {
            throw error(pos, "empty command");
        }
        return new Command(pos, args);
    }

    private Node operand() {
        Node node = term();
        if (node == null || peek().type() != Type.FIELD) {
            return node;
        }
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (peek().type() == Type.FIELD) {
            String field = next().text();
            names.add(field.substring(1));
            text.append(field);
        }
        if (node instanceof Node.Field field) {
            List<String> all = new ArrayList<>(field.names());
            all.addAll(names);
            return new Node.Field(field.pos(), all, field.text() + text);
        }
        if (node instanceof Node.Variable variable) {
            List<String> all = new ArrayList<>(variable.names());
            all.addAll(names);
            return new Node.Variable(variable.pos(), all, variable.text() + text);
        }
        if (node instanceof Node.Bool || node instanceof Node.Str || node instanceof Node.Number
                || node instanceof Node.Nil || node instanceof Node.Dot) {
            throw error(pos(node), "unexpected . after term");
        }
        return new Node.Chain(pos(node), node, names);
    }

    private Node term() {
        Token token = nextNonSpace();
        Pos pos = Pos.of(token);
        switch (token.type()) {
            case IDENTIFIER:
                if (!functionExists.test(token.text())) {
                    throw error(pos, "function \"" + token.text() + "\" not defined");
                }
                return new Node.Identifier(pos, token.text());
            case DOT:
                return new Node.Dot(pos);
            case NIL:
                return new Node.Nil(pos);
            case VARIABLE: {
                if (!variables.contains(token.text())) {
                    throw error(pos, "undefined variable \"" + token.text() + "\"");
                }
                return new Node.Variable(pos, List.of(token.text()), token.text());
            }
            case FIELD:
                return new Node.Field(pos, List.of(token.text().substring(1)), token.text());
            case BOOL:
                return new Node.Bool(pos, token.text().equals("true"));
            case CHAR:
                return new Node.Number(pos, (long) GoStrings.unquoteChar(token.text(), pos), token.text());
            case NUMBER:
                return new Node.Number(pos, GoStrings.number(token.text(), pos), token.text());
            case LEFT_PAREN:
                return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
            case STRING:
            case RAW_STRING:
                return new Node.Str(pos, GoStrings.unquote(token.text(), pos), token.text());
            default:
                back();
                return null;
        }
    }

    private static Pos pos(Node node) {
        if (node instanceof Node.Pipe pipe) {
            return pipe.pos();
        }
        if (node instanceof Node.Identifier identifier) {
            return identifier.pos();
        }
        if (node instanceof Node.Variable variable) {
            return variable.pos();
        }
        if (node instanceof Node.Field field) {
            return field.pos();
        }
        return new Pos(0, 0);
    }

    private void trimVariables(int size) {
        while (variables.size() > size) {
            variables.remove(variables.size() - 1);
        }
    }

    private void expect(Type type, String context) {
        Token token = nextNonSpace();
        if (token.type() != type) {
            throw unexpected(token, context);
        }
    }

    private Token peek() {
        return tokens.get(Math.min(at, tokens.size() - 1));
    }

    private Token next() {
        Token token = peek();
        at++;
        return token;
    }

    private void back() {
        at--;
    }

    private Token nextNonSpace() {
        Token token = next();
        while (token.type() == Type.SPACE) {
            token = next();
        }
        return token;
    }

    private Token peekNonSpace() {
        Token token = nextNonSpace();
        back();
        return token;
    }

    private static TemplateException unexpected(Token token, String context) {
        if (token.type() == Type.EOF) {
            return new TemplateException(token.line(), token.column(), "unexpected EOF in " + context);
        }
        return new TemplateException(token.line(), token.column(), "unexpected " + token.describe() + " in " + context);
    }

    private static TemplateException error(Pos pos, String message) {
        return new TemplateException(pos.line(), pos.column(), message);
    }
}
