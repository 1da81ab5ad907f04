package io.edgegate.egctl;

import io.edgegate.spec.ObjectKind;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "api-resources", mixinStandardHelpOptions = true, description = "List the kinds of object and their short names.")
final class ApiResourcesCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Override
    public Integer call() {
        Table table = new Table("NAME", "SHORTNAMES", "KIND", "DESCRIPTION");
        for (ObjectKind kind : ObjectKind.values()) {
            table.row(kind.aliases().get(kind.aliases().size() - 1), kind.aliases().get(0), kind.kindName(), kind.description());
        }
        table.row("members", "member,m", "-", "data-plane nodes and the revision each runs");
        table.print(root.terminal().out());
        return 0;
    }
}
