package io.edgegate.template;

/** One lexical item of a template: its type, its text and where it starts. */
record Token(Type type, String text, int line, int column) {

    enum Type {
        TEXT, LEFT_DELIM, RIGHT_DELIM, SPACE, IDENTIFIER, FIELD, VARIABLE, DOT, STRING, RAW_STRING, CHAR, NUMBER,
        BOOL, NIL, PIPE, LEFT_PAREN, RIGHT_PAREN, ASSIGN, DECLARE, COMMA,
        IF, ELSE, END, RANGE, WITH, DEFINE, TEMPLATE, BLOCK, BREAK, CONTINUE, EOF
    }

    String describe() {
        return switch (type) {
            case EOF -> "EOF";
            case RIGHT_DELIM -> "<" + text + ">";
            case SPACE -> "space";
            default -> "\"" + text + "\"";
        };
    }
}
