package io.edgegate.spec.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the text of one document (YAML, or JSON, which YAML reads too) into a tree, and
 * trees back into canonical JSON or YAML. Duplicate keys are errors, not "last one wins".
 */
public final class DocumentParser {

    /** gzip's magic number begins with 0x1f, a control character no JSON document begins with. */
    private static final char GZIP_FIRST_BYTE = 0x1f;

    private static final int MAX_ESCAPES_RESOLVED = 10_000;
    /** SnakeYAML's limit of a document (LoaderOptions' code point limit, 3 MB). */
    private static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

    private final ObjectMapper yaml;
    private final ObjectMapper json;
    private final ObjectReader jsonDocument;

    public DocumentParser() {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                // key: with no value is null, as YAML (and Go) read it; '' stays an empty string.
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
        // One document is one node: "{a: 1} {b: 2}" is an error, not its first half.
        this.yaml = YAMLMapper.builder(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        this.json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // A document is one value: "{...} more" is not JSON, and goes to the YAML parser to say why.
        this.jsonDocument = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectNode parse(SourceDocument document) throws SpecException {
        Optional<ObjectNode> generated = asJsonObject(document.text());
        if (generated.isPresent()) {
            return generated.get();
        }
        JsonNode tree = null;
        String text = document.text();
        refuseOverLimit(text);
        // Each round resolves one YAML 1.2 "\/" escape SnakeYAML (YAML 1.1) refused; the bound only stops a runaway.
        for (int round = 0; tree == null; round++) {
            try {
                tree = YamlTree.read((YAMLFactory) yaml.getFactory(), text);
                if (tree == null) {
                    throw new SpecException("", "the document is empty");
                }
            } catch (JsonProcessingException e) {
                Optional<String> resolved = round < MAX_ESCAPES_RESOLVED ? Yaml12Escapes.withEscapedSlashResolved(text, e) : Optional.empty();
                if (resolved.isEmpty()) {
                    throw new SpecException("", "invalid YAML" + where(e.getLocation(), document) + ": " + reason(e.getOriginalMessage()));
                }
                text = resolved.get();
            }
        }
        if (text.indexOf('*') >= 0) {
            refuseAliases(text, document);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new SpecException("", "the document is empty");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new SpecException("", "a document must be a mapping with 'name' and 'kind', got " + SpecNode.describe(tree));
        }
        return object;
    }

    /**
     * SnakeYAML reports a document over its size limit only once it has read that far, and it reads a long
     * value on one line slowly (it copies its look-ahead window for each kilobyte of it): a 10 MB document of one
     * line kept the control plane busy past egctl's 30 s timeout, its heap over 1.3 GB, to be refused at the end.
     * It is refused before reading; within the limit the slowest document (3 MB on one line) takes ~5 s.
     */
    private static void refuseOverLimit(String text) throws SpecException {
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new SpecException("", "the document is " + text.length() + " characters long; a YAML document may hold at most "
                    + MAX_CODE_POINTS + " (split it, or send it as JSON)");
        }
    }

    /**
     * A document written as one JSON object, as scripts generate them: JSON is YAML 1.2, and the
     * JSON parser reads it many times faster than the YAML one (an HTTPServer of 50,000 routes:
     * ~1 s of CPU less per apply). Anything else, JSON with an error included, is read as YAML,
     * whose errors are the ones reported.
     */
    private Optional<ObjectNode> asJsonObject(String text) {
        int first = 0;
        while (first < text.length() && Character.isWhitespace(text.charAt(first))) {
            first++;
        }
        if (first == text.length() || text.charAt(first) != '{') {
            return Optional.empty();
        }
        try {
            return jsonDocument.readTree(text) instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Parses canonical JSON as stored by the control plane. */
    public ObjectNode parseJson(String text) throws SpecException {
        if (!text.isEmpty() && text.charAt(0) == GZIP_FIRST_BYTE) {
            // A value the control plane could not inflate reaches us as it is stored; no JSON starts so.
            throw new SpecException("", "stored object is compressed (gzip) but cannot be inflated: the value in etcd is damaged"
                    + " or inflates past the limit; replace it with egctl apply or remove it with egctl delete");
        }
        try {
            JsonNode tree = json.readTree(text);
            if (tree instanceof ObjectNode object) {
                return object;
            }
            throw new SpecException("", "stored object is not a JSON object");
        } catch (JsonProcessingException e) {
            throw new SpecException("", "stored object is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public String toJson(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public String toPrettyJson(JsonNode tree) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public String toYaml(JsonNode tree) {
        try {
            return yaml.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * The YAML reader passes an alias ({@code *name}) on as the text of its name instead of the anchored value,
     * so {@code backend: *api} would silently route to a pipeline named "api". Aliases are refused by name instead
     * (only texts holding a '*' are looked at again, so most documents are read once).
     */
    private void refuseAliases(String text, SourceDocument document) throws SpecException {
        try (JsonParser parser = yaml.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
                    throw new SpecException("", "YAML aliases are not supported" + where(parser.currentLocation(), document)
                            + " ('*" + parser.getText() + "'): write the value out in full");
                }
            }
        } catch (java.io.IOException e) {
            // The document was read already: nothing new to say.
        }
    }

    private static String where(JsonLocation location, SourceDocument document) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        int line = location.getLineNr() + document.firstLine() - 1;
        return " at line " + line + ", column " + location.getColumnNr();
    }

    /** SnakeYAML's message without its "in 'reader'" lines and source snippets: the reasons only. */
    private static String reason(String message) {
        if (message == null) {
            return "unreadable input";
        }
        List<String> reasons = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (line.startsWith(" in 'reader'") || line.startsWith("    ") || line.isBlank()) {
                continue;
            }
            reasons.add(line.strip());
        }
        return reasons.isEmpty() ? message.strip() : String.join(": ", reasons);
    }
}
