package io.edgegate.egctl;

import io.edgegate.api.v1.Action;
import io.edgegate.api.v1.ObjectResult;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SpecException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * What an apply of these files would change, object by object, as a unified diff of the stored
 * YAML and the YAML the control plane would store (validated and normalised by a dry run, secrets
 * redacted on both sides). Exit status as diff's and kubectl diff's: 0 nothing would change,
 * 1 something would, 2 the files could not be compared.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show what 'egctl apply -f' would change: a unified diff per object. Exit 0: no change, 1: changes, 2: error.")
final class DiffCommand implements Callable<Integer> {

    static final int SAME = 0;
    static final int DIFFERENT = 1;
    static final int TROUBLE = 2;

    @ParentCommand
    Egctl root;

    @Mixin
    DocumentInput input;

    private final DocumentParser parser = new DocumentParser();

    @Override
    public Integer call() {
        Terminal terminal = root.terminal();
        try {
            WriteRequest request = input.request(terminal).setDryRun(true).build();
            WriteResponse response;
            try (ControlPlaneClient client = root.connect()) {
                response = client.objects(stub -> stub.apply(request));
            }
            response.getWarningsList().forEach(w -> terminal.err().println("Warning: " + w));
            boolean changes = false;
            for (ObjectResult result : response.getResultsList()) {
                changes |= print(result, terminal.out());
            }
            terminal.out().flush();
            return changes ? DIFFERENT : SAME;
        } catch (CommandFailure e) {
            terminal.err().println("Error: " + e.getMessage());
            terminal.err().flush();
            return TROUBLE;
        }
    }

    /** Prints the object's diff; whether the apply would change it. */
    private boolean print(ObjectResult result, PrintWriter out) {
        if (result.getAction() == Action.UNCHANGED) {
            return false;
        }
        String name = result.getKey().getKind() + "/" + result.getKey().getName();
        List<String> before = result.getStoredJson().isEmpty() ? List.of() : yamlLines(name, result.getStoredJson());
        List<String> after = yamlLines(name, result.getJson());
        List<String> hunks = LineDiff.unified(before, after);
        if (hunks.isEmpty()) {
            return false;
        }
        out.println("--- " + name + (before.isEmpty() ? " (not stored)" : " (stored)"));
        out.println("+++ " + name + " (after apply)");
        hunks.forEach(out::println);
        return true;
    }

    private List<String> yamlLines(String name, String json) {
        try {
            return parser.toYaml(parser.parseJson(json)).lines().toList();
        } catch (SpecException e) {
            throw new CommandFailure(name + ": " + e.getMessage());
        }
    }
}
