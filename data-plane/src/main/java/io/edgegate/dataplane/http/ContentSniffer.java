package io.edgegate.dataplane.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The Content-Type Go's net/http gives a body sent without one (Easegress's Mock and Fallback answers go out so),
 * by the signatures of the WHATWG sniffing rules it follows that a configured text body can start with: HTML, XML,
 * PDF, PostScript and the byte-order marks; otherwise text when no byte is binary, else octet-stream.
 */
public final class ContentSniffer {

    private static final List<String> HTML_TAGS = List.of("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV",
            "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--");

    private ContentSniffer() {
    }

    /** The type of {@code body}; null when it is empty (Go sets none then). */
    public static String of(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        if (startsWith(body, 0, new byte[] {(byte) 0xFE, (byte) 0xFF})) {
            return "text/plain; charset=utf-16be";
        }
        if (startsWith(body, 0, new byte[] {(byte) 0xFF, (byte) 0xFE})) {
            return "text/plain; charset=utf-16le";
        }
        if (startsWith(body, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
            return "text/plain; charset=utf-8";
        }
        int first = 0;
        while (first < body.length && (body[first] == '\t' || body[first] == '\n' || body[first] == '\f' || body[first] == '\r'
                || body[first] == ' ')) {
            first++;
        }
        String start = new String(body, first, Math.min(body.length - first, 16), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        for (String tag : HTML_TAGS) {
            // The tag must end there: a space or '>' after it.
            if (start.startsWith(tag) && (start.length() > tag.length() && (start.charAt(tag.length()) == ' '
                    || start.charAt(tag.length()) == '>'))) {
                return "text/html; charset=utf-8";
            }
        }
        if (start.startsWith("<?XML")) {
            return "text/xml; charset=utf-8";
        }
        String raw = new String(body, 0, Math.min(body.length, 16), StandardCharsets.ISO_8859_1);
        if (raw.startsWith("%PDF-")) {
            return "application/pdf";
        }
        if (raw.startsWith("%!PS-Adobe-")) {
            return "application/postscript";
        }
        for (byte b : body.length > 512 ? java.util.Arrays.copyOf(body, 512) : body) {
            if (b >= 0 && b <= 0x08 || b == 0x0B || b >= 0x0E && b <= 0x1A || b >= 0x1C && b <= 0x1F) {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (body.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
