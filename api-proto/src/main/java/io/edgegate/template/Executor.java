package io.edgegate.template;

import io.edgegate.template.Node.Branch;
import io.edgegate.template.Node.Command;
import io.edgegate.template.Node.ListNode;
import io.edgegate.template.Node.Pipe;
import io.edgegate.template.Node.Pos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a parsed template over data with Go's semantics: dot and variables, fields of maps and
 * of {@link TemplateObject}s (a missing key gives "no value", a field of nil is an error),
 * functions with the previous command's value as their last argument, short-circuit
 * {@code and}/{@code or}, {@code range} over lists, maps (in key order) and integers, and
 * {@code break}/{@code continue}. Bounded: templates nest at most {@value #MAX_DEPTH} deep,
 * output and steps are capped, so a template cannot hang or exhaust a node.
 */
final class Executor {

    static final int MAX_DEPTH = 100;
    /** Templates run on event loops: their output and work are bounded so one cannot stall a loop for long. */
    private static final int MAX_OUTPUT = 8 * 1024 * 1024;
    private static final long MAX_STEPS = 1_000_000;
    /** No value from a previous command: the first command of a pipeline. */
    private static final Object NO_FINAL = new Object();

    private static final class BreakSignal extends RuntimeException {
        BreakSignal() {
            super(null, null, false, false);
        }
    }

    private static final class ContinueSignal extends RuntimeException {
        ContinueSignal() {
            super(null, null, false, false);
        }
    }

    private final Map<String, ListNode> templates;
    private final Functions functions;
    private final StringBuilder out = new StringBuilder();
    private final List<String> names = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();
    private String templateName;
    private int depth;
    private long steps;

    Executor(Map<String, ListNode> templates, Functions functions, String templateName) {
        this.templates = templates;
        this.functions = functions;
        this.templateName = templateName;
    }

    String run(ListNode root, Object data) {
        names.add("$");
        values.add(data);
        walk(data, root);
        return out.toString();
    }

    private void walk(Object dot, Node node) {
        if (++steps > MAX_STEPS) {
            throw new TemplateException(0, 0, "executing \"" + templateName + "\": more than " + MAX_STEPS + " steps");
        }
        if (node instanceof Node.Text text) {
            write(text.text());
        } else if (node instanceof ListNode list) {
            for (Node child : list.nodes()) {
                walk(dot, child);
            }
        } else if (node instanceof Node.Action action) {
            Object value = pipe(dot, action.pipe());
            if (action.pipe().variables().isEmpty()) {
                write(GoValues.print(value));
            }
        } else if (node instanceof Branch branch) {
            branch(dot, branch);
        } else if (node instanceof Node.TemplateCall call) {
            callTemplate(dot, call);
        } else if (node instanceof Node.Break) {
            throw new BreakSignal();
        } else if (node instanceof Node.Continue) {
            throw new ContinueSignal();
        } else {
            throw new IllegalStateException("unknown node " + node);
        }
    }

    private void write(String text) {
        if (out.length() + text.length() > MAX_OUTPUT) {
            throw new TemplateException(0, 0, "executing \"" + templateName + "\": output larger than " + MAX_OUTPUT + " bytes");
        }
        out.append(text);
    }

    private void branch(Object dot, Branch branch) {
        int mark = names.size();
        try {
            Object value = pipe(dot, branch.pipe());
            if (branch.kind() == Branch.Kind.RANGE) {
                range(dot, branch, value);
                return;
            }
            if (GoValues.truth(value)) {
                walk(branch.kind() == Branch.Kind.WITH ? value : dot, branch.list());
            } else if (branch.elseList() != null) {
                walk(dot, branch.elseList());
            }
        } finally {
            pop(mark);
        }
    }

    private void range(Object dot, Branch branch, Object value) {
        Pipe pipe = branch.pipe();
        boolean iterated = false;
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                iterated = true;
                if (!iteration(branch, (long) i, list.get(i))) {
                    break;
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : GoValues.sorted(map).entrySet()) {
                iterated = true;
                if (!iteration(branch, e.getKey(), e.getValue())) {
                    break;
                }
            }
        } else if (value instanceof Long count) {
            if (pipe.variables().size() > 1) {
                throw error(pipe.pos(), describe(pipe), "can't use " + count + " to iterate over more than one variable");
            }
            for (long i = 0; i < count; i++) {
                iterated = true;
                if (!iteration(branch, i, i)) {
                    break;
                }
            }
        } else if (value != null && value != GoValues.NO_VALUE) {
            throw error(pipe.pos(), describe(pipe), "range can't iterate over " + GoValues.print(value));
        }
        if (!iterated && branch.elseList() != null) {
            walk(dot, branch.elseList());
        }
    }

    /** One pass of a range body; false when it hit {{break}}. */
    private boolean iteration(Branch branch, Object index, Object element) {
        Pipe pipe = branch.pipe();
        List<String> declared = pipe.variables();
        if (!declared.isEmpty()) {
            if (pipe.assign()) {
                setVariable(declared.get(0), declared.size() > 1 ? index : element);
                if (declared.size() > 1) {
                    setVariable(declared.get(1), element);
                }
            } else if (declared.size() == 1) {
                values.set(values.size() - 1, element);
            } else {
                values.set(values.size() - 2, index);
                values.set(values.size() - 1, element);
            }
        }
        int mark = names.size();
        try {
            walk(element, branch.list());
        } catch (ContinueSignal signal) {
            return true;
        } catch (BreakSignal signal) {
            return false;
        } finally {
            pop(mark);
        }
        return true;
    }

    private void callTemplate(Object dot, Node.TemplateCall call) {
        ListNode template = templates.get(call.name());
        if (template == null) {
            throw error(call.pos(), "template " + call.name(), "no such template \"" + call.name() + "\"");
        }
        if (depth >= MAX_DEPTH) {
            throw error(call.pos(), "template " + call.name(), "exceeded maximum template depth (" + MAX_DEPTH + ")");
        }
        Object newDot = call.pipe() == null ? null : pipe(dot, call.pipe());
        List<String> savedNames = new ArrayList<>(names);
        List<Object> savedValues = new ArrayList<>(values);
        String savedTemplate = templateName;
        names.clear();
        values.clear();
        names.add("$");
        values.add(newDot);
        templateName = call.name();
        depth++;
        try {
            walk(newDot, template);
        } finally {
            depth--;
            templateName = savedTemplate;
            names.clear();
            values.clear();
            names.addAll(savedNames);
            values.addAll(savedValues);
        }
    }

    private Object pipe(Object dot, Pipe pipe) {
        Object value = NO_FINAL;
        for (Command command : pipe.commands()) {
            value = command(dot, command, value);
        }
        for (String variable : pipe.variables()) {
            if (pipe.assign()) {
                setVariable(variable, value);
            } else {
                names.add(variable);
                values.add(value);
            }
        }
        return value;
    }

    private Object command(Object dot, Command command, Object last) {
        Node first = command.args().get(0);
        if (first instanceof Node.Field field) {
            return fieldChain(dot, dot, field.pos(), field.text(), field.names(), command.args(), last);
        }
        if (first instanceof Node.Chain chain) {
            return chain(dot, chain, command.args(), last);
        }
        if (first instanceof Node.Identifier identifier) {
            return function(dot, identifier, command.args(), last);
        }
        if (first instanceof Node.Variable variable) {
            return variable(dot, variable, command.args(), last);
        }
        if (first instanceof Pipe pipe) {
            notAFunction(command, last, describe(pipe));
            return pipe(dot, pipe);
        }
        notAFunction(command, last, describe(first));
        if (first instanceof Node.Nil nil) {
            throw error(nil.pos(), "nil", "nil is not a command");
        }
        return constant(dot, first);
    }

    private static Object constant(Object dot, Node node) {
        if (node instanceof Node.Bool b) {
            return b.value();
        }
        if (node instanceof Node.Number n) {
            return n.value();
        }
        if (node instanceof Node.Str s) {
            return s.value();
        }
        if (node instanceof Node.Dot) {
            return dot;
        }
        return null;
    }

    private void notAFunction(Command command, Object last, String what) {
        if (command.args().size() > 1 || last != NO_FINAL) {
            throw error(command.pos(), what, "can't give argument to non-function " + what);
        }
    }

    private Object chain(Object dot, Node.Chain chain, List<Node> args, Object last) {
        if (chain.node() instanceof Node.Nil nil) {
            throw error(nil.pos(), "nil", "indirection through explicit nil in " + describe(chain));
        }
        Object receiver = argument(dot, chain.node());
        return fieldChain(dot, receiver, chain.pos(), describe(chain), chain.names(), args, last);
    }

    private Object variable(Object dot, Node.Variable variable, List<Node> args, Object last) {
        Object value = variableValue(variable.names().get(0), variable.pos());
        if (variable.names().size() == 1) {
            if (args != null && args.size() > 1 || last != NO_FINAL) {
                throw error(variable.pos(), variable.text(), "can't give argument to non-function " + variable.text());
            }
            return value;
        }
        return fieldChain(dot, value, variable.pos(), variable.text(), variable.names().subList(1, variable.names().size()), args, last);
    }

    private Object fieldChain(Object dot, Object receiver, Pos pos, String text, List<String> fields, List<Node> args, Object last) {
        Object current = receiver;
        for (int i = 0; i < fields.size() - 1; i++) {
            current = field(dot, fields.get(i), pos, text, null, NO_FINAL, current);
        }
        return field(dot, fields.get(fields.size() - 1), pos, text, args, last, current);
    }

    private Object field(Object dot, String name, Pos pos, String text, List<Node> args, Object last, Object receiver) {
        if (receiver == GoValues.NO_VALUE) {
            return GoValues.NO_VALUE;
        }
        boolean hasArgs = args != null && args.size() > 1 || last != NO_FINAL;
        if (receiver instanceof TemplateObject object) {
            List<Object> argv = new ArrayList<>();
            if (args != null) {
                for (int i = 1; i < args.size(); i++) {
                    argv.add(argument(dot, args.get(i)));
                }
            }
            if (last != NO_FINAL) {
                argv.add(last);
            }
            Object result;
            try {
                result = object.member(name, argv);
            } catch (TemplateFunctionException e) {
                throw error(pos, text, "error calling " + name + ": " + e.getMessage());
            }
            if (result == TemplateObject.NO_SUCH_MEMBER) {
                throw error(pos, text, "can't evaluate field " + name + " in type " + object.typeName());
            }
            return result;
        }
        if (receiver instanceof Map<?, ?> map) {
            if (hasArgs) {
                throw error(pos, text, name + " is not a method but has arguments");
            }
            return map.containsKey(name) ? map.get(name) : GoValues.NO_VALUE;
        }
        if (receiver == null) {
            throw error(pos, text, "nil pointer evaluating interface {}." + name);
        }
        throw error(pos, text, "can't evaluate field " + name + " in type " + GoValues.typeName(receiver));
    }

    private Object function(Object dot, Node.Identifier identifier, List<Node> args, Object last) {
        String name = identifier.name();
        TemplateFunction function = functions.get(name);
        if (name.equals("and") || name.equals("or")) {
            return andOr(dot, identifier, args, last, name.equals("and"));
        }
        List<Object> argv = new ArrayList<>();
        if (args != null) {
            for (int i = 1; i < args.size(); i++) {
                argv.add(argument(dot, args.get(i)));
            }
        }
        if (last != NO_FINAL) {
            argv.add(last);
        }
        if (argv.size() < function.minArgs() || function.maxArgs() >= 0 && argv.size() > function.maxArgs()) {
            String want = function.maxArgs() < 0 ? "at least " + function.minArgs() : Integer.toString(function.minArgs());
            throw error(identifier.pos(), name, "wrong number of args for " + name + ": want " + want + " got " + argv.size());
        }
        try {
            return function.body().call(argv);
        } catch (TemplateFunctionException e) {
            throw error(identifier.pos(), name, "error calling " + name + ": " + e.getMessage());
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw error(identifier.pos(), name, "error calling " + name + ": " + e);
        }
    }

    /** {@code and}/{@code or}: arguments evaluated until the answer is known, as Go does since 1.18. */
    private Object andOr(Object dot, Node.Identifier identifier, List<Node> args, Object last, boolean and) {
        int count = (args == null ? 0 : args.size() - 1) + (last != NO_FINAL ? 1 : 0);
        if (count < 1) {
            throw error(identifier.pos(), identifier.name(), "wrong number of args for " + identifier.name() + ": want at least 1 got 0");
        }
        Object value = null;
        for (int i = 0; i < count; i++) {
            value = args != null && i + 1 < args.size() ? argument(dot, args.get(i + 1)) : last;
            if (GoValues.truth(value) != and) {
                return value;
            }
        }
        return value;
    }

    private Object argument(Object dot, Node node) {
        if (node instanceof Node.Dot) {
            return dot;
        }
        if (node instanceof Node.Nil) {
            return null;
        }
        if (node instanceof Node.Field field) {
            return fieldChain(dot, dot, field.pos(), field.text(), field.names(), List.of(node), NO_FINAL);
        }
        if (node instanceof Node.Variable variable) {
            return variable(dot, variable, null, NO_FINAL);
        }
        if (node instanceof Pipe pipe) {
            int mark = names.size();
            try {
                return pipe(dot, pipe);
            } finally {
                // Variables declared in a parenthesized pipeline live as long as it: a Go quirk kept simple.
                pop(mark);
            }
        }
        if (node instanceof Node.Identifier identifier) {
            return function(dot, identifier, null, NO_FINAL);
        }
        if (node instanceof Node.Chain chain) {
            return chain(dot, chain, null, NO_FINAL);
        }
        return constant(dot, node);
    }

    private Object variableValue(String name, Pos pos) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equals(name)) {
                return values.get(i);
            }
        }
        throw error(pos, name, "undefined variable: " + name);
    }

    private void setVariable(String name, Object value) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equals(name)) {
                values.set(i, value);
                return;
            }
        }
        throw new TemplateException(0, 0, "undefined variable: " + name);
    }

    private void pop(int mark) {
        while (names.size() > mark) {
            names.remove(names.size() - 1);
            values.remove(values.size() - 1);
        }
    }

    private TemplateException error(Pos pos, String at, String message) {
        return new TemplateException(pos.line(), pos.column(), "executing \"" + templateName + "\" at <" + at + ">: " + message);
    }

    static String describe(Node node) {
        if (node instanceof Node.Field f) {
            return f.text();
        }
        if (node instanceof Node.Variable v) {
            return v.text();
        }
        if (node instanceof Node.Identifier i) {
            return i.name();
        }
        if (node instanceof Node.Str s) {
            return s.text();
        }
        if (node instanceof Node.Number n) {
            return n.text();
        }
        if (node instanceof Node.Bool b) {
            return Boolean.toString(b.value());
        }
        if (node instanceof Node.Nil) {
            return "nil";
        }
        if (node instanceof Node.Dot) {
            return ".";
        }
        if (node instanceof Node.Chain c) {
            return describe(c.node()) + "." + String.join(".", c.names());
        }
        if (node instanceof Command c) {
            return String.join(" ", c.args().stream().map(Executor::describe).toList());
        }
        if (node instanceof Pipe p) {
            return "(" + String.join(" | ", p.commands().stream().map(Executor::describe).toList()) + ")";
        }
        return node.toString();
    }
}
