package io.edgegate.dataplane.filter.builder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.edgegate.template.JsonNumber;
import io.edgegate.template.TemplateFunctionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bodies read as data, as Easegress's {@code JSONBody} and {@code YAMLBody} read them: JSON
 * numbers keep their text (Go's {@code json.Number}); YAML maps must have string keys.
 */
final class BodyValues {

    private static final JsonFactory JSON = new JsonFactory();

    private BodyValues() {
    }

    static Object json(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new TemplateFunctionException("EOF");
            }
            return value(parser, token);
        } catch (IOException e) {
            throw new TemplateFunctionException(firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.getCurrentName();
                    map.put(name, value(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(value(parser, next));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonNumber(parser.getText());
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new TemplateFunctionException("unexpected JSON token " + token);
        }
    }

    static Object yaml(byte[] body) {
        Object parsed;
        try {
            // As Easegress's yaml.v3 reads it: NO is a string, 10:30 is not 630, a date stays text.
            parsed = BuilderYaml.typed().load(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new TemplateFunctionException("yaml: " + firstLine(String.valueOf(e.getMessage())));
        }
        return plain(parsed, false);
    }

    /**
     * YAML as template data: string keys only; integers as Long (or as Double when {@code json}
     * says the value goes through JSON, as Easegress's DataBuilder does), maps and lists mutable.
     */
    static Object plain(Object v, boolean json) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new TemplateFunctionException("unexpected key type " + (e.getKey() == null ? "<nil>" : e.getKey().getClass().getSimpleName()));
                }
                out.put(key, plain(e.getValue(), json));
            }
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(element -> out.add(plain(element, json)));
            return out;
        }
        if (v instanceof java.math.BigInteger big) {
            // Above 2^63 (yaml.v3's uint64): the templates know no unsigned integer, and a float is nearer than a wrapped long.
            return big.doubleValue();
        }
        if (v instanceof Integer || v instanceof Long) {
            long value = ((Number) v).longValue();
            return json ? (Object) (double) value : (Object) value;
        }
        if (v instanceof Float || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof byte[] || v instanceof java.util.Date) {
            return v.toString();
        }
        return v;
    }
}
