package io.edgegate.egctl;

import io.edgegate.api.v1.ValidationMode;
import io.edgegate.api.v1.WriteRequest;
import java.util.List;
import picocli.CommandLine.Option;

/** The documents a command sends (apply, create, diff): where they are read from and how strictly they are taken. */
final class DocumentInput {

    enum Validation { strict, warn }

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
            description = "A YAML/JSON file, a directory of them, or - for standard input. Repeatable.")
    List<String> files;

    @Option(names = "--validate", paramLabel = "MODE", defaultValue = "strict",
            description = "strict: refuse unknown fields; warn: report them and go on without them (default: ${DEFAULT-VALUE}).")
    Validation validate;

    /** A write of every document read, validated as asked. */
    WriteRequest.Builder request(Terminal terminal) {
        return WriteRequest.newBuilder()
                .addAllDocuments(DocumentSources.read(files, terminal))
                .setValidation(validate == Validation.warn ? ValidationMode.WARN : ValidationMode.STRICT);
    }
}
