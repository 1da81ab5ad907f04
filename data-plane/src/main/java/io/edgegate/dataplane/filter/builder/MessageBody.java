package io.edgegate.dataplane.filter.builder;

import java.nio.charset.StandardCharsets;

/**
 * The body members a template reads on a request or response ({@code Body}, {@code RawBody},
 * {@code JSONBody}, {@code YAMLBody}): the bytes when the builder read them whole, otherwise
 * Easegress's words for a stream. Parsed once per view.
 */
final class MessageBody {

    private final byte[] bytes;
    private final String streamText;
    private Object parsed;

    MessageBody(byte[] bytes, String kind, String namespace) {
        this.bytes = bytes;
        this.streamText = "the body of " + kind + " \"" + namespace + "\" is a stream";
    }

    /** The member {@code name}, or null when it is not a body member. */
    Object member(String name) {
        return switch (name) {
            case "Body" -> bytes == null ? streamText : new String(bytes, StandardCharsets.UTF_8);
            case "RawBody" -> bytes == null ? streamText.getBytes(StandardCharsets.UTF_8) : bytes;
            case "JSONBody" -> parsed != null ? parsed : (parsed = BodyValues.json(raw()));
            case "YAMLBody" -> parsed != null ? parsed : (parsed = BodyValues.yaml(raw()));
            default -> null;
        };
    }

    private byte[] raw() {
        return bytes == null ? streamText.getBytes(StandardCharsets.UTF_8) : bytes;
    }
}
