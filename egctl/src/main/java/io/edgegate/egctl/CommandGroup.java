package io.edgegate.egctl;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

/** A command that only groups subcommands ({@code token}, {@code config}, {@code pki}): alone it prints its usage. */
abstract class CommandGroup implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Override
    public Integer call() {
        new CommandLine(this).usage(root.terminal().out());
        return 2;
    }
}
