package io.edgegate.spec.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Set;

/**
 * Reads one YAML document into a tree as Easegress's YAML library (yaml.v3, YAML 1.2) reads its
 * scalars, where the parser follows YAML 1.1: {@code yes}, {@code no}, {@code on}, {@code off},
 * {@code y} and {@code n} are words, not booleans, and a number not written as it would be
 * written back keeps its text for string fields ({@link WrittenNumber}).
 */
final class YamlTree {

    /** YAML 1.2's booleans; the parser's other ones are YAML 1.1's words. */
    private static final Set<String> BOOLEANS = Set.of("true", "True", "TRUE", "false", "False", "FALSE");

    private YamlTree() {
    }

    /** The document's tree; null when it holds nothing. Duplicate keys and anything after the value are errors. */
    static JsonNode read(YAMLFactory factory, String text) throws JsonProcessingException {
        try (JsonParser parser = factory.createParser(text)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after the document's value");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // A string is read without I/O.
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(parser.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                String text = parser.getText();
                return BOOLEANS.contains(text) ? BooleanNode.valueOf(token == JsonToken.VALUE_TRUE) : TextNode.valueOf(text);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                NumericNode number = number(parser, token);
                String text = parser.getText();
                return text.equals(number.asText()) ? number : new WrittenNumber(number, text);
            }
            case VALUE_EMBEDDED_OBJECT -> {
                Object embedded = parser.getEmbeddedObject();
                return embedded instanceof byte[] bytes ? BinaryNode.valueOf(bytes) : nodes.pojoNode(embedded);
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> throw new JsonParseException(parser, "Unexpected token " + token);
        }
    }

    /** The number as Jackson's own tree reader makes it. */
    private static NumericNode number(JsonParser parser, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return (NumericNode) nodes.numberNode(parser.getDoubleValue());
        }
        return switch (parser.getNumberType()) {
            case INT -> (NumericNode) nodes.numberNode(parser.getIntValue());
            case LONG -> (NumericNode) nodes.numberNode(parser.getLongValue());
            default -> (NumericNode) nodes.numberNode(parser.getBigIntegerValue());
        };
    }
}
