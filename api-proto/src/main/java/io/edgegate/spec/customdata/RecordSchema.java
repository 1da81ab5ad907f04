package io.edgegate.spec.customdata;

import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The part of JSON Schema that checks a CustomData record: an object with {@code properties}
 * (each a {@code type} of string, number, integer or boolean, with {@code enum},
 * {@code pattern}, {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum}),
 * {@code required} and {@code additionalProperties: false}. Records hold scalar fields, so
 * nested objects and arrays are refused when the schema is applied, as are keywords not listed
 * here: a schema that is not checked should not look as if it were.
 */
public record RecordSchema(Map<String, Property> properties, List<String> required, boolean additionalProperties) {

    /** One field's constraints; absent ones are null. */
    public record Property(String type, List<String> enumValues, Pattern pattern, Integer minLength, Integer maxLength,
                           BigDecimal minimum, BigDecimal maximum) {
    }

    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "title", "description", "$comment", "examples", "default");

    public RecordSchema {
        properties = Map.copyOf(properties);
        required = List.copyOf(required);
    }

    static RecordSchema decode(SpecObject o) {
        annotations(o);
        String type = o.string("type", "object");
        if (!type.equals("object")) {
            o.error("type", "a record is an object: type must be object");
        }
        Map<String, Property> properties = new LinkedHashMap<>();
        o.object("properties").ifPresent(p -> {
            for (String name : p.keys()) {
                properties.put(name, property(p.field(name).asObject()));
            }
        });
        List<String> required = o.stringList("required");
        boolean additional = o.bool("additionalProperties", true);
        o.finish();
        return new RecordSchema(properties, required, additional);
    }

    private static void annotations(SpecObject o) {
        for (String key : ANNOTATIONS) {
            if (o.has(key)) {
                o.field(key);
            }
        }
    }

    private static Property property(SpecObject o) {
        annotations(o);
        String type = o.string("type", "string");
        if (!Set.of("string", "number", "integer", "boolean").contains(type)) {
            o.error("type", "'" + type + "' is not a record field's type (expected string, number, integer or boolean; records hold scalars)");
        }
        List<String> enumValues = o.has("enum") ? o.list("enum", SpecNode::asString) : null;
        Pattern pattern = null;
        Optional<String> regexp = o.optionalString("pattern");
        if (regexp.isPresent()) {
            try {
                pattern = Pattern.compile(regexp.get());
            } catch (PatternSyntaxException e) {
                o.error("pattern", "'" + regexp.get() + "' is not a regexp: " + e.getDescription());
            }
        }
        Integer minLength = o.has("minLength") ? o.integer("minLength", 0, 0, Integer.MAX_VALUE) : null;
        Integer maxLength = o.has("maxLength") ? o.integer("maxLength", 0, 0, Integer.MAX_VALUE) : null;
        BigDecimal minimum = o.has("minimum") ? BigDecimal.valueOf(o.number("minimum", 0, -Double.MAX_VALUE, Double.MAX_VALUE)) : null;
        BigDecimal maximum = o.has("maximum") ? BigDecimal.valueOf(o.number("maximum", 0, -Double.MAX_VALUE, Double.MAX_VALUE)) : null;
        o.finish();
        return new Property(type, enumValues, pattern, minLength, maxLength, minimum, maximum);
    }

    /** What is wrong with {@code record}, one line per problem; empty when it conforms. */
    public List<String> problems(Map<String, String> record) {
        return problems(record, Set.of(), Set.of());
    }

    /**
     * What is wrong with {@code record}: no line repeats the value of a {@code secret} field, and the values of
     * {@code unchecked} fields are not checked at all (a stored secret put back for a writer who may not read it:
     * checking it against a schema they wrote would answer their guesses about it).
     */
    public List<String> problems(Map<String, String> record, Set<String> secret, Set<String> unchecked) {
        List<String> problems = new ArrayList<>();
        for (String name : required) {
            if (!record.containsKey(name)) {
                problems.add("'" + name + "' is required");
            }
        }
        for (Map.Entry<String, String> field : record.entrySet()) {
            Property property = properties.get(field.getKey());
            if (property == null) {
                if (!additionalProperties) {
                    problems.add("'" + field.getKey() + "' is not a property of the schema");
                }
                continue;
            }
            if (!unchecked.contains(field.getKey())) {
                check(field.getKey(), field.getValue(), property, secret.contains(field.getKey())).ifPresent(problems::add);
            }
        }
        return problems;
    }

    private static Optional<String> check(String name, String value, Property p, boolean secret) {
        String got = secret ? "" : ", got '" + value + "'";
        switch (p.type()) {
            case "boolean" -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return Optional.of("'" + name + "' must be a boolean" + got);
                }
            }
            case "number", "integer" -> {
                BigDecimal number;
                try {
                    number = new BigDecimal(value);
                } catch (NumberFormatException e) {
                    return Optional.of("'" + name + "' must be a " + p.type() + got);
                }
                if (p.type().equals("integer") && number.stripTrailingZeros().scale() > 0) {
                    return Optional.of("'" + name + "' must be an integer" + got);
                }
                if (p.minimum() != null && number.compareTo(p.minimum()) < 0) {
                    return Optional.of("'" + name + "' must be at least " + p.minimum().stripTrailingZeros().toPlainString());
                }
                if (p.maximum() != null && number.compareTo(p.maximum()) > 0) {
                    return Optional.of("'" + name + "' must be at most " + p.maximum().stripTrailingZeros().toPlainString());
                }
            }
            default -> {
                int length = value.codePointCount(0, value.length());
                if (p.minLength() != null && length < p.minLength()) {
                    return Optional.of("'" + name + "' must be at least " + p.minLength() + " characters");
                }
                if (p.maxLength() != null && length > p.maxLength()) {
                    return Optional.of("'" + name + "' must be at most " + p.maxLength() + " characters");
                }
                if (p.pattern() != null && !p.pattern().matcher(value).find()) {
                    return Optional.of("'" + name + "' must match " + p.pattern().pattern());
                }
            }
        }
        if (p.enumValues() != null && !p.enumValues().contains(value)) {
            return Optional.of("'" + name + "' must be one of " + p.enumValues());
        }
        return Optional.empty();
    }
}
