package io.edgegate.egctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints stored objects as a table, as YAML documents (ready to apply again) or as JSON. */
final class ObjectPrinter {

    private final PrintWriter out;
    private final OutputFormat format;
    private final DocumentParser parser = new DocumentParser();

    ObjectPrinter(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    void print(List<StoredObject> objects, boolean single) {
        List<ObjectNode> trees = new ArrayList<>();
        for (StoredObject object : objects) {
            trees.add(tree(object));
        }
        switch (format) {
            case table -> {
                Table table = new Table("KIND", "NAME", "REVISION", "SUMMARY");
                for (int i = 0; i < objects.size(); i++) {
                    StoredObject o = objects.get(i);
                    table.row(o.getKey().getKind(), o.getKey().getName(), o.getRevision(), summary(trees.get(i)));
                }
                table.print(out);
            }
            case yaml -> {
                for (int i = 0; i < trees.size(); i++) {
                    if (i > 0) {
                        out.println("---");
                    }
                    out.print(parser.toYaml(trees.get(i)));
                }
            }
            case json -> {
                if (single) {
                    out.println(parser.toPrettyJson(trees.get(0)));
                } else {
                    ArrayNode array = JsonNodeFactory.instance.arrayNode();
                    trees.forEach(array::add);
                    out.println(parser.toPrettyJson(array));
                }
            }
        }
        out.flush();
    }

    private ObjectNode tree(StoredObject object) {
        try {
            return parser.parseJson(object.getJson());
        } catch (SpecException e) {
            throw new CommandFailure(object.getKey().getKind() + "/" + object.getKey().getName() + ": " + e.getMessage());
        }
    }

    /**
     * One line about an object: where a server listens and how many rules it has; which filters a pipeline runs
     * (a GlobalFilter's before and after pipelines); how many records a CustomData holds; a CustomDataKind's id field.
     */
    static String summary(ObjectNode tree) {
        return switch (tree.path("kind").asText()) {
            case "HTTPServer" -> {
                int paths = 0;
                for (JsonNode rule : tree.path("rules")) {
                    paths += rule.path("paths").size();
                }
                yield "port " + tree.path("port").asText() + ", " + tree.path("rules").size() + " rules, " + paths + " paths";
            }
            case "HTTPPipeline", "Pipeline" -> "filters: " + filters(tree);
            case "GlobalFilter" -> "before: " + filters(tree.path("beforePipeline")) + "; after: " + filters(tree.path("afterPipeline"));
            case "CustomData" -> tree.path("records").size() + " records";
            case "CustomDataKind" -> "id field " + (tree.path("idField").asText().isEmpty() ? "name" : tree.path("idField").asText());
            default -> "";
        };
    }

    private static String filters(JsonNode pipeline) {
        List<String> filters = new ArrayList<>();
        for (JsonNode filter : pipeline.path("filters")) {
            filters.add(filter.path("name").asText() + "(" + filter.path("kind").asText() + ")");
        }
        return filters.isEmpty() ? "none" : String.join(", ", filters);
    }
}
