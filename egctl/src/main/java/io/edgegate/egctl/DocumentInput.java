package io.edgegate.egctl;

import io.edgegate.api.v1.ValidationMode;
import io.edgegate.api.v1.WriteRequest;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The documents a command sends (apply, create, diff): where they are read from and how strictly they are taken. */
final class DocumentInput {

    enum Validation { strict, warn }

    /** Checked when the documents are read, not by picocli: create's subcommand (httpproxy) goes without it. */
    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "A YAML/JSON file, a directory of them, or - for standard input. Required; repeatable.")
    List<String> files;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--validate", paramLabel = "MODE", defaultValue = "strict",
            description = "strict: refuse unknown fields; warn: report them and go on without them (default: ${DEFAULT-VALUE}).")
    Validation validate;

    /** Whether any file was named (create's subcommand refuses files given to create). */
    boolean given() {
        return files != null && !files.isEmpty();
    }

    /** A write of every document read, validated as asked. */
    WriteRequest.Builder request(Terminal terminal) {
        if (files == null || files.isEmpty()) {
            throw new ParameterException(command.commandLine(), "Missing required option: '--filename=FILE'");
        }
        return WriteRequest.newBuilder()
                .addAllDocuments(DocumentSources.read(files, terminal))
                .setValidation(validate == Validation.warn ? ValidationMode.WARN : ValidationMode.STRICT);
    }
}
