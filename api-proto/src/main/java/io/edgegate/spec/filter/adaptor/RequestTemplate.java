package io.edgegate.spec.filter.adaptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value built from the request: text with {@code {{...}}} placeholders, each one of
 * {@code method}, {@code host}, {@code path}, {@code path.N} (the N-th path segment, from 1),
 * {@code query.NAME}, {@code header.NAME}, {@code clientIp} or {@code jwt.CLAIM} (a claim of
 * the token a Validator verified earlier in the flow). A missing value is empty. Any other
 * text, an unclosed or unknown {@code {{...}}} included, is literal: Easegress v2 takes these
 * static values as written, so its configs (Go templates in a body, say) must keep them.
 * Parsed once per config.
 */
public record RequestTemplate(String source, List<Part> parts) {

    /** What a placeholder reads. */
    public enum Source { METHOD, HOST, PATH, PATH_SEGMENT, QUERY, HEADER, CLIENT_IP, JWT_CLAIM }

    /** Literal text (source null) or a placeholder. */
    public record Part(String text, Source source, String argument, int segment) {
    }

    public RequestTemplate {
        parts = List.copyOf(parts);
    }

    public boolean isLiteral() {
        return parts.stream().allMatch(p -> p.source() == null);
    }

    /** Parses {@code text}: our placeholders, and the rest as literal text. */
    public static RequestTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            int close = open < 0 ? -1 : text.indexOf("}}", open + 2);
            if (close < 0) {
                literal.append(text, at, text.length());
                break;
            }
            Optional<Part> placeholder = placeholder(text.substring(open + 2, close).trim());
            if (placeholder.isEmpty()) {
                // Not one of ours: literal up to and including the braces that opened it.
                literal.append(text, at, open + 2);
                at = open + 2;
                continue;
            }
            literal.append(text, at, open);
            if (!literal.isEmpty()) {
                parts.add(new Part(literal.toString(), null, null, 0));
                literal.setLength(0);
            }
            parts.add(placeholder.get());
            at = close + 2;
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), null, null, 0));
        }
        return new RequestTemplate(text, parts);
    }

    private static Optional<Part> placeholder(String expression) {
        String lower = expression.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "method":
                return Optional.of(new Part(null, Source.METHOD, null, 0));
            case "host":
                return Optional.of(new Part(null, Source.HOST, null, 0));
            case "path":
                return Optional.of(new Part(null, Source.PATH, null, 0));
            case "clientip":
                return Optional.of(new Part(null, Source.CLIENT_IP, null, 0));
            default:
                break;
        }
        int dot = expression.indexOf('.');
        String name = dot < 0 ? "" : expression.substring(dot + 1);
        String kind = dot < 0 ? lower : lower.substring(0, dot);
        return switch (kind) {
            case "header" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.HEADER, name, 0));
            case "query" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.QUERY, name, 0));
            case "jwt" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.JWT_CLAIM, name, 0));
            case "path" -> name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 4
                    && Integer.parseInt(name) > 0
                    ? Optional.of(new Part(null, Source.PATH_SEGMENT, null, Integer.parseInt(name))) : Optional.empty();
            default -> Optional.empty();
        };
    }
}
