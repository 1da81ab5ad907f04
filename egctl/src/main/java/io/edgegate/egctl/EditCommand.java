package io.edgegate.egctl;

import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectRevision;
import io.edgegate.api.v1.StoredObject;
import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.ValidationMode;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Opens an object's YAML in the user's editor and applies what was saved, as kubectl edit does:
 * saved unchanged or emptied, nothing is written; refused by the control plane, the editor opens
 * again with the reason on top and the edits kept; saved again without a change after that, the
 * edits stay in a file whose name is printed. Secrets show redacted and are kept as stored unless
 * replaced.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Edit an object in $VISUAL or $EDITOR (default vi) and apply it when saved; refused edits reopen with the reason.")
final class EditCommand implements Callable<Integer> {

    private static final String HEADER = """
            # Edit the object below and save to apply it; save it unchanged or empty to cancel.
            # Lines starting with '#' are ignored. Secrets read <redacted, ...>: leave them to keep them.
            """;

    @ParentCommand
    Egctl root;

    @Parameters(index = "0", paramLabel = "KIND", description = "A kind or alias (see api-resources).")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME", description = "The object's name.")
    String name;

    private final DocumentParser parser = new DocumentParser();

    @Override
    public Integer call() throws IOException {
        Terminal terminal = root.terminal();
        String kindName = Kinds.resolve(kind);
        try (ControlPlaneClient client = root.connect()) {
            ObjectKey key = ObjectKey.newBuilder().setKind(kindName).setName(name).build();
            StoredObject read = client.objects(stub -> stub.get(GetRequest.newBuilder().setKey(key).build())).getObject();
            // Written only if nobody changed it meanwhile, as kubectl edit does: an edit of an old version must not undo theirs.
            ObjectRevision readAt = ObjectRevision.newBuilder().setKey(read.getKey()).setRevision(read.getRevision()).build();
            String original = yaml(read.getJson());
            Path file = Files.createTempFile("egctl-edit-" + kindName.toLowerCase(Locale.ROOT) + "-", ".yaml");
            String shown = HEADER + original;
            String previousAttempt = null;
            while (true) {
                Files.writeString(file, shown);
                try {
                    runEditor(file);
                } catch (CommandFailure failed) {
                    // Nothing was applied; an edit of the object's text alone is not worth keeping over that message.
                    Files.deleteIfExists(file);
                    throw failed;
                }
                String edited = withoutComments(Files.readString(file, StandardCharsets.UTF_8));
                if (edited.isBlank() || edited.equals(withoutComments(original))) {
                    Files.deleteIfExists(file);
                    terminal.out().println("Edit cancelled, no changes made.");
                    terminal.out().flush();
                    return 0;
                }
                if (edited.equals(previousAttempt)) {
                    throw new CommandFailure("the edit was refused and saved again unchanged; it is kept in " + file);
                }
                try {
                    oneDocument(file, edited);
                    sameObject(file, edited);
                    WriteResponse response = client.objects(stub -> stub.apply(WriteRequest.newBuilder()
                            .addDocuments(Document.newBuilder().setSource(file.toString()).setIndex(1).setFirstLine(1).setText(edited))
                            .setValidation(ValidationMode.STRICT).addExpectedRevisions(readAt).build()));
                    Files.deleteIfExists(file);
                    for (ObjectResult result : response.getResultsList()) {
                        terminal.out().println(result.getKey().getKind() + "/" + result.getKey().getName() + " "
                                + result.getAction().name().toLowerCase(Locale.ROOT));
                    }
                    terminal.out().flush();
                    return 0;
                } catch (CommandFailure refused) {
                    if (refused.code() == io.grpc.Status.Code.ABORTED) {
                        // Reopening would not help: the edit is of a version that is gone. Keep it for the user.
                        throw new CommandFailure(refused.getMessage() + "; the edit is kept in " + file
                                + " (egctl edit again, or apply it with egctl apply -f)");
                    }
                    previousAttempt = edited;
                    shown = HEADER + refused.getMessage().lines().map(line -> "# Error: " + line)
                            .collect(Collectors.joining("\n", "", "\n")) + edited;
                }
            }
        }
    }

    /** Refuses an edit that adds documents: the control plane would read the first and drop the others without a word. */
    private static void oneDocument(Path file, String edited) {
        if (io.edgegate.spec.codec.DocumentSplitter.split(file.toString(), edited).size() != 1) {
            throw new CommandFailure("an edit holds one object; apply the others with 'egctl apply -f'");
        }
    }

    /** Refuses, before anything is applied, an edit that renames the object or changes its kind: that would make another one. */
    private void sameObject(Path file, String edited) {
        try {
            var tree = parser.parse(new io.edgegate.spec.codec.SourceDocument(file.toString(), 1, 1, edited));
            String editedKind = tree.path("kind").asText();
            String editedName = tree.path("name").asText();
            if (!editedName.equals(name) || !Kinds.resolve(editedKind).equals(Kinds.resolve(kind))) {
                throw new CommandFailure("the kind and name cannot be edited (" + Kinds.resolve(kind) + "/" + name + " became "
                        + editedKind + "/" + editedName + "); apply a new object to make another one");
            }
        } catch (SpecException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    private String yaml(String json) {
        try {
            return parser.toYaml(parser.parseJson(json));
        } catch (SpecException e) {
            throw new CommandFailure(kind + "/" + name + ": " + e.getMessage());
        }
    }

    private static String withoutComments(String text) {
        return text.lines().filter(line -> !line.stripLeading().startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
    }

    /** $VISUAL, else $EDITOR, else vi, on the terminal; the command may carry its own arguments ("code --wait"). */
    private void runEditor(Path file) {
        var env = root.terminal().env();
        String editor = env.getOrDefault("VISUAL", env.getOrDefault("EDITOR", "vi"));
        if (editor.isBlank()) {
            editor = "vi";
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "egctl-edit", file.toString()).inheritIO().start();
            if (!process.waitFor(1, TimeUnit.DAYS)) {
                process.destroyForcibly();
                throw new CommandFailure("the editor (" + editor + ") did not finish in a day; the object is unchanged");
            }
            if (process.exitValue() != 0) {
                throw new CommandFailure("the editor (" + editor + ") failed (exit " + process.exitValue() + "); the object is unchanged");
            }
        } catch (IOException e) {
            throw new CommandFailure("cannot start the editor (" + editor + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while the editor ran; the object is unchanged");
        }
    }
}
