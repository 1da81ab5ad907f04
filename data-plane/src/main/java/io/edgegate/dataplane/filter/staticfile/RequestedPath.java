package io.edgegate.dataplane.filter.staticfile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path decoded into the file-name segments it names under the root. A path that
 * tries to climb out ({@code ..} as a segment, before or after decoding) names nothing;
 * percent-encoding that does not decode, or decodes to NUL or a backslash, is malformed.
 */
record RequestedPath(List<String> segments, boolean trailingSlash) {

    /** Thrown for a path that is not a valid path at all (400). */
    static final class MalformedPathException extends Exception {
        MalformedPathException(String message) {
            super(message, null, false, false);
        }
    }

    /** The segments, or null when the path leaves the root (answered as not found). */
    static RequestedPath parse(String rawPath) throws MalformedPathException {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            String segment = decode(raw);
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") || segment.contains("/")) {
                return null;
            }
            segments.add(segment);
        }
        return new RequestedPath(List.copyOf(segments), rawPath.endsWith("/"));
    }

    private static String decode(String raw) throws MalformedPathException {
        if (raw.indexOf('%') < 0) {
            check(raw);
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new MalformedPathException("truncated percent-encoding");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new MalformedPathException("bad percent-encoding");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            String decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
            check(decoded);
            return decoded;
        } catch (CharacterCodingException e) {
            throw new MalformedPathException("path is not UTF-8");
        }
    }

    private static void check(String segment) throws MalformedPathException {
        if (segment.indexOf('\0') >= 0 || segment.indexOf('\\') >= 0) {
            throw new MalformedPathException("NUL or backslash in path");
        }
    }
}
