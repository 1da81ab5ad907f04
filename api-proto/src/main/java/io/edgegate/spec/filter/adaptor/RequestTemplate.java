package io.edgegate.spec.filter.adaptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value built from the request: text with {@code {{...}}} placeholders, each one of
 * {@code method}, {@code host}, {@code path}, {@code path.N} (the N-th path segment, from 1),
 * {@code query.NAME}, {@code header.NAME}, {@code clientIp} or {@code jwt.CLAIM} (a claim of
 * the token a Validator verified earlier in the flow). A missing value is empty.
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

    /** Parses {@code text}, or says what is wrong with it. */
    public static RequestTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(new Part(text.substring(at), null, null, 0));
                break;
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), null, null, 0));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("'{{' at " + open + " is not closed with '}}'");
            }
            parts.add(placeholder(text.substring(open + 2, close).trim()));
            at = close + 2;
        }
        return new RequestTemplate(text, parts);
    }

    private static Part placeholder(String expression) {
        String lower = expression.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "method":
                return new Part(null, Source.METHOD, null, 0);
            case "host":
                return new Part(null, Source.HOST, null, 0);
            case "path":
                return new Part(null, Source.PATH, null, 0);
            case "clientip":
                return new Part(null, Source.CLIENT_IP, null, 0);
            default:
                break;
        }
        int dot = expression.indexOf('.');
        String name = dot < 0 ? "" : expression.substring(dot + 1);
        String kind = dot < 0 ? lower : lower.substring(0, dot);
        Optional<Part> part = switch (kind) {
            case "header" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.HEADER, name, 0));
            case "query" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.QUERY, name, 0));
            case "jwt" -> name.isEmpty() ? Optional.empty() : Optional.of(new Part(null, Source.JWT_CLAIM, name, 0));
            case "path" -> name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 4
                    && Integer.parseInt(name) > 0
                    ? Optional.of(new Part(null, Source.PATH_SEGMENT, null, Integer.parseInt(name))) : Optional.empty();
            default -> Optional.empty();
        };
        return part.orElseThrow(() -> new IllegalArgumentException("'{{" + expression + "}}' is not a placeholder "
                + "(expected method, host, path, path.N, query.NAME, header.NAME, clientIp or jwt.CLAIM)"));
    }
}
