package io.edgegate.template;

import java.util.List;

/** The parse tree of a template, as Go's {@code text/template/parse} shapes it. */
sealed interface Node {

    /** Where a node starts in the source, for error messages. */
    record Pos(int line, int column) {
        static Pos of(Token token) {
            return new Pos(token.line(), token.column());
        }
    }

    record Text(String text) implements Node {
    }

    record ListNode(List<Node> nodes) implements Node {
    }

    /** {@code {{pipeline}}}: prints the pipeline's value unless it declares variables. */
    record Action(Pos pos, Pipe pipe) implements Node {
    }

    /** Commands joined by {@code |}, optionally declaring ({@code :=}) or assigning ({@code =}) variables. */
    record Pipe(Pos pos, boolean assign, List<String> variables, List<Command> commands) implements Node {
    }

    /** An operand followed by its arguments: a function call, a method call, or a lone value. */
    record Command(Pos pos, List<Node> args) implements Node {
    }

    /** {@code .A.B}: fields (or map keys, or methods) of dot. */
    record Field(Pos pos, List<String> names, String text) implements Node {
    }

    /** {@code $x.A.B}: a variable and fields of it; names[0] is the variable. */
    record Variable(Pos pos, List<String> names, String text) implements Node {
    }

    /** {@code (pipeline).A.B} and the like: fields of a value that is not dot or a variable. */
    record Chain(Pos pos, Node node, List<String> names) implements Node {
    }

    record Identifier(Pos pos, String name) implements Node {
    }

    record Dot(Pos pos) implements Node {
    }

    record Nil(Pos pos) implements Node {
    }

    record Bool(Pos pos, boolean value) implements Node {
    }

    /** A number constant: a Long, or a Double when written with a fraction or exponent. */
    record Number(Pos pos, Object value, String text) implements Node {
    }

    record Str(Pos pos, String value, String text) implements Node {
    }

    /** {@code if}, {@code range} and {@code with}: a pipeline, what runs when it holds, and else. */
    record Branch(Kind kind, Pos pos, Pipe pipe, ListNode list, ListNode elseList) implements Node {
        enum Kind { IF, RANGE, WITH }
    }

    /** {@code {{template "name" pipeline}}}. */
    record TemplateCall(Pos pos, String name, Pipe pipe) implements Node {
    }

    record Break(Pos pos) implements Node {
    }

    record Continue(Pos pos) implements Node {
    }
}
