package io.edgegate.egctl;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Prints a shell completion script for egctl's commands, options and kinds of output. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash or zsh.",
                "bash: source <(egctl completion bash)   (or save it in /etc/bash_completion.d/egctl)",
                "zsh:  source <(egctl completion zsh)    (in ~/.zshrc; it loads zsh's bash completion support)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @ParentCommand
    Egctl root;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        // picocli's script serves both: under zsh it turns on zsh's bashcompinit first.
        String script = AutoComplete.bash("egctl", Egctl.fullCommandLine(root.terminal()));
        root.terminal().out().print(script);
        root.terminal().out().flush();
        return 0;
    }
}
