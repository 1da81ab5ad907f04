package io.edgegate.egctl;

import io.edgegate.api.v1.Document;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.SourceDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the {@code -f} arguments: files, directories (their .yaml, .yml and .json files, in
 * name order) or {@code -} for standard input, and splits them into documents. Only the
 * splitting happens here; the control plane parses and validates.
 */
final class DocumentSources {

    private DocumentSources() {
    }

    static List<Document> read(List<String> sources, Terminal terminal) {
        List<Document> documents = new ArrayList<>();
        for (String source : sources) {
            if (source.equals("-")) {
                documents.addAll(split("<stdin>", readStdin(terminal)));
            } else {
                for (Path file : files(terminal.resolve(source))) {
                    documents.addAll(split(file.toString(), readFile(file)));
                }
            }
        }
        if (documents.isEmpty()) {
            throw new CommandFailure("no objects found in " + String.join(", ", sources));
        }
        return documents;
    }

    private static List<Document> split(String name, String text) {
        List<Document> out = new ArrayList<>();
        for (SourceDocument d : DocumentSplitter.split(name, text)) {
            out.add(Document.newBuilder().setSource(d.source()).setIndex(d.index()).setFirstLine(d.firstLine())
                    .setText(d.text()).build());
        }
        return out;
    }

    private static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw new CommandFailure("the path \"" + path + "\" does not exist");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(p -> p.toString().matches(".*\\.(yaml|yml|json)$")).sorted().toList();
        } catch (IOException e) {
            throw new CommandFailure("cannot list " + path + ": " + e.getMessage());
        }
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String readStdin(Terminal terminal) {
        try {
            return new String(terminal.in().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandFailure("cannot read standard input: " + e.getMessage());
        }
    }
}
