package io.edgegate.egctl;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code egctl config get-contexts|current-context|use-context|set-context}, as kubectl's. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Named contexts: which control plane, CA and token to use.",
        subcommands = {ConfigCommand.GetContexts.class, ConfigCommand.CurrentContext.class, ConfigCommand.UseContext.class,
                ConfigCommand.SetContext.class})
final class ConfigCommand extends CommandGroup {

    @Command(name = "get-contexts", mixinStandardHelpOptions = true, description = "List the contexts; * marks the current one.")
    static final class GetContexts implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            EgctlConfig config = EgctlConfig.read(parent.root.configFile());
            Table table = new Table("CURRENT", "NAME", "SERVER", "CA", "TOKEN");
            for (EgctlConfig.Context c : config.contexts()) {
                String token = c.token() != null ? "(inline)" : c.tokenFile() != null ? c.tokenFile() : "";
                table.row(c.name().equals(config.currentContext()) ? "*" : "", c.name(), c.server(),
                        Boolean.TRUE.equals(c.insecure()) ? "(insecure)" : c.ca() == null ? "" : c.ca(), token);
            }
            table.print(parent.root.terminal().out());
            return 0;
        }
    }

    @Command(name = "current-context", mixinStandardHelpOptions = true, description = "Print the current context's name.")
    static final class CurrentContext implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Override
        public Integer call() {
            EgctlConfig config = EgctlConfig.read(parent.root.configFile());
            if (config.current().isEmpty()) {
                throw new CommandFailure("no current context in " + parent.root.configFile());
            }
            parent.root.terminal().out().println(config.currentContext());
            return 0;
        }
    }

    @Command(name = "use-context", mixinStandardHelpOptions = true, description = "Make a context the current one.")
    static final class UseContext implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Path file = parent.root.configFile();
            EgctlConfig.read(file).using(name).write(file);
            parent.root.terminal().out().println("Switched to context \"" + name + "\".");
            return 0;
        }
    }

    @Command(name = "set-context", mixinStandardHelpOptions = true,
            description = "Create or replace a context from --server, --ca, --token-file (or --token) and --insecure; --use makes it current.")
    static final class SetContext implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--use", description = "Make it the current context.")
        boolean use;

        /** The context is what egctl's own --server, --ca, --token or --token-file and --insecure say. */
        @Override
        public Integer call() {
            Path file = parent.root.configFile();
            Connection.Flags flags = parent.root.flags();
            if (flags.server() == null) {
                throw new CommandFailure("a context needs --server HOST:PORT");
            }
            EgctlConfig.Context context = new EgctlConfig.Context(name, flags.server(), absolute(flags.ca()), flags.token(),
                    absolute(flags.tokenFile()), flags.insecure() ? Boolean.TRUE : null);
            EgctlConfig.read(file).with(context, use).write(file);
            parent.root.terminal().out().println("Context \"" + name + "\" set in " + file + ".");
            return 0;
        }
    }

    private static String absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().toString();
    }
}
