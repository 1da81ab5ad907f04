package io.edgegate.spec.codec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the text of one document (YAML, or JSON, which YAML reads too) into a tree, and
 * trees back into canonical JSON or YAML. Duplicate keys are errors, not "last one wins".
 */
public final class DocumentParser {

    private final ObjectMapper yaml;
    private final ObjectMapper json;

    public DocumentParser() {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        this.yaml = YAMLMapper.builder(factory).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        this.json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    public ObjectNode parse(SourceDocument document) throws SpecException {
        JsonNode tree;
        try {
            tree = yaml.readTree(document.text());
        } catch (JsonProcessingException e) {
            throw new SpecException("", "invalid YAML" + where(e.getLocation(), document) + ": " + reason(e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new SpecException("", "the document is empty");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new SpecException("", "a document must be a mapping with 'name' and 'kind', got " + SpecNode.describe(tree));
        }
        return object;
    }

    /** Parses canonical JSON as stored by the control plane. */
    public ObjectNode parseJson(String text) throws SpecException {
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
