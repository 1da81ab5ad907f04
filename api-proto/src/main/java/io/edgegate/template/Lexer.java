package io.edgegate.template;

import io.edgegate.template.Token.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a template into tokens as Go's {@code text/template} lexer does: text between
 * actions, and inside an action fields, variables, literals, keywords and punctuation.
 * Trim markers ({@code "{{- "} and {@code " -}}"}) are applied here, to the text beside them,
 * and comments are dropped.
 */
final class Lexer {

    private static final Map<String, Type> KEYWORDS = Map.ofEntries(
            Map.entry("if", Type.IF), Map.entry("else", Type.ELSE), Map.entry("end", Type.END),
            Map.entry("range", Type.RANGE), Map.entry("with", Type.WITH), Map.entry("define", Type.DEFINE),
            Map.entry("template", Type.TEMPLATE), Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK),
            Map.entry("continue", Type.CONTINUE), Map.entry("true", Type.BOOL), Map.entry("false", Type.BOOL),
            Map.entry("nil", Type.NIL));

    private final String input;
    private final String leftDelim;
    private final String rightDelim;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int parenDepth;
    private int[] lineStarts;

    Lexer(String input, String leftDelim, String rightDelim) {
        this.input = input;
        this.leftDelim = leftDelim.isEmpty() ? "{{" : leftDelim;
        this.rightDelim = rightDelim.isEmpty() ? "}}" : rightDelim;
    }

    List<Token> lex() {
        while (pos < input.length()) {
            int at = input.indexOf(leftDelim, pos);
            if (at < 0) {
                emit(Type.TEXT, pos, input.length());
                pos = input.length();
                break;
            }
            int afterDelim = at + leftDelim.length();
            boolean trim = input.startsWith("-", afterDelim) && afterDelim + 1 < input.length()
                    && isSpace(input.charAt(afterDelim + 1));
            int textEnd = trim ? trimRight(pos, at) : at;
            if (textEnd > pos) {
                emit(Type.TEXT, pos, textEnd);
            }
            pos = afterDelim + (trim ? 2 : 0);
            if (input.startsWith("/*", pos)) {
                comment(at);
            } else {
                tokens.add(token(Type.LEFT_DELIM, leftDelim, at));
                insideAction();
            }
        }
        tokens.add(token(Type.EOF, "", input.length()));
        return tokens;
    }

    private void comment(int start) {
        int end = input.indexOf("*/", pos + 2);
        if (end < 0) {
            throw error(start, "unclosed comment");
        }
        pos = end + 2;
        int delim = rightDelimAt(pos);
        if (delim < 0) {
            throw error(start, "comment ends before closing delimiter");
        }
        afterRightDelim(delim);
    }

    private void insideAction() {
        int actionStart = pos;
        while (true) {
            if (pos >= input.length()) {
                throw error(actionStart, "unclosed action");
            }
            int delim = rightDelimAt(pos);
            if (delim >= 0) {
                if (parenDepth > 0) {
                    throw error(pos, "unclosed left paren");
                }
                tokens.add(token(Type.RIGHT_DELIM, rightDelim, pos));
                afterRightDelim(delim);
                return;
            }
            char c = input.charAt(pos);
            int start = pos;
            if (isSpace(c)) {
                while (pos < input.length() && isSpace(input.charAt(pos)) && rightDelimAt(pos) < 0) {
                    pos++;
                }
                if (pos > start) {
                    emit(Type.SPACE, start, pos);
                }
                continue;
            }
            pos++;
            switch (c) {
                case '=' -> emit(Type.ASSIGN, start, pos);
                case ':' -> {
                    if (pos >= input.length() || input.charAt(pos) != '=') {
                        throw error(start, "expected :=");
                    }
                    pos++;
                    emit(Type.DECLARE, start, pos);
                }
                case '|' -> emit(Type.PIPE, start, pos);
                case ',' -> emit(Type.COMMA, start, pos);
                case '"' -> quoted(start);
                case '`' -> raw(start);
                case '\'' -> character(start);
                case '$' -> {
                    alphanumerics();
                    atTerminator(start, "variable");
                    emit(Type.VARIABLE, start, pos);
                }
                case '(' -> {
                    parenDepth++;
                    emit(Type.LEFT_PAREN, start, pos);
                }
                case ')' -> {
                    if (--parenDepth < 0) {
                        throw error(start, "unexpected right paren");
                    }
                    emit(Type.RIGHT_PAREN, start, pos);
                }
                default -> {
                    if (c == '.') {
                        if (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                            number(start);
                        } else if (pos < input.length() && isAlphanumeric(input.charAt(pos))) {
                            alphanumerics();
                            atTerminator(start, "field");
                            emit(Type.FIELD, start, pos);
                        } else {
                            emit(Type.DOT, start, pos);
                        }
                    } else if (c == '+' || c == '-' || Character.isDigit(c)) {
                        number(start);
                    } else if (isAlphanumeric(c)) {
                        alphanumerics();
                        atTerminator(start, "identifier");
                        String word = input.substring(start, pos);
                        emit(KEYWORDS.getOrDefault(word, Type.IDENTIFIER), start, pos);
                    } else {
                        throw error(start, "unrecognized character in action: " + quote(c));
                    }
                }
            }
        }
    }

    /** Where the right delimiter starts if it (or its trim marker) starts at {@code at}; -1 otherwise. */
    private int rightDelimAt(int at) {
        if (input.startsWith(rightDelim, at)) {
            return at;
        }
        if (at + 2 <= input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-'
                && input.startsWith(rightDelim, at + 2)) {
            return at;
        }
        return -1;
    }

    private void afterRightDelim(int delim) {
        boolean trim = !input.startsWith(rightDelim, delim);
        pos = delim + (trim ? 2 : 0) + rightDelim.length();
        if (trim) {
            while (pos < input.length() && isSpace(input.charAt(pos))) {
                pos++;
            }
        }
    }

    private void quoted(int start) {
        while (true) {
            if (pos >= input.length() || input.charAt(pos) == '\n') {
                throw error(start, "unterminated quoted string");
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '"') {
                break;
            }
        }
        emit(Type.STRING, start, pos);
    }

    private void raw(int start) {
        int end = input.indexOf('`', pos);
        if (end < 0) {
            throw error(start, "unterminated raw quoted string");
        }
        pos = end + 1;
        emit(Type.RAW_STRING, start, pos);
    }

    private void character(int start) {
        while (true) {
            if (pos >= input.length() || input.charAt(pos) == '\n') {
                throw error(start, "unterminated character constant");
            }
            char c = input.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '\'') {
                break;
            }
        }
        emit(Type.CHAR, start, pos);
    }

    private void number(int start) {
        pos = start;
        if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
            pos++;
        }
        String digits = "0123456789_";
        if (input.startsWith("0x", pos) || input.startsWith("0X", pos)) {
            pos += 2;
            digits = "0123456789abcdefABCDEF_";
        } else if (input.startsWith("0o", pos) || input.startsWith("0O", pos)) {
            pos += 2;
            digits = "01234567_";
        } else if (input.startsWith("0b", pos) || input.startsWith("0B", pos)) {
            pos += 2;
            digits = "01_";
        }
        accept(digits);
        if (pos < input.length() && input.charAt(pos) == '.') {
            pos++;
            accept(digits);
        }
        boolean hex = digits.length() > 20;
        if (pos < input.length() && (hex ? "pP" : "eE").indexOf(input.charAt(pos)) >= 0) {
            pos++;
            if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                pos++;
            }
            accept("0123456789_");
        }
        if (pos < input.length() && isAlphanumeric(input.charAt(pos))) {
            pos++;
            throw error(start, "bad number syntax: " + quote(input.substring(start, pos)));
        }
        emit(Type.NUMBER, start, pos);
    }

    private void accept(String chars) {
        while (pos < input.length() && chars.indexOf(input.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private void alphanumerics() {
        while (pos < input.length() && isAlphanumeric(input.charAt(pos))) {
            pos++;
        }
    }

    /** Go requires a word to end at a space, punctuation of the action or the delimiter. */
    private void atTerminator(int start, String what) {
        if (pos >= input.length()) {
            return;
        }
        char c = input.charAt(pos);
        if (isSpace(c) || ".,|:)(=".indexOf(c) >= 0 || rightDelimAt(pos) >= 0) {
            return;
        }
        throw error(start, "bad character " + quote(c) + " after " + what);
    }

    private int trimRight(int from, int to) {
        while (to > from && isSpace(input.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private void emit(Type type, int start, int end) {
        tokens.add(token(type, input.substring(start, end), start));
    }

    private Token token(Type type, String text, int offset) {
        int[] lineColumn = lineColumn(offset);
        return new Token(type, text, lineColumn[0], lineColumn[1]);
    }

    private TemplateException error(int offset, String message) {
        int[] lineColumn = lineColumn(offset);
        return new TemplateException(lineColumn[0], lineColumn[1], message);
    }

    private int[] lineColumn(int offset) {
        if (lineStarts == null) {
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = 0; i < input.length(); i++) {
                if (input.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        int index = java.util.Arrays.binarySearch(lineStarts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new int[] {line + 1, offset - lineStarts[line] + 1};
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlphanumeric(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String quote(char c) {
        return "'" + c + "'";
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
