package io.edgegate.egctl;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code egctl}: the command line of EdgeGate, kubectl-like, over the control plane's gRPC API. */
@Command(name = "egctl", mixinStandardHelpOptions = true, versionProvider = Egctl.Version.class,
        description = "Manage EdgeGate objects and follow them to every data-plane node.")
public final class Egctl implements Callable<Integer> {

    static final String DEFAULT_SERVER = "127.0.0.1:2381";
    /** In the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ApplyCommand.class, DiffCommand.class, CreateCommand.class, EditCommand.class, GetCommand.class,
            DescribeCommand.class, DeleteCommand.class, WatchCommand.class, ApiResourcesCommand.class, AcceptStoreCommand.class, HealthCommand.class,
            TokenCommand.class, ConfigCommand.class, PkiCommand.class, TopCommand.class, CompletionCommand.class,
            DaemonCommand.class, CommandLine.HelpCommand.class);
    /** The global options that take a value, which may come before the subcommand's name. */
    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--server", "--token", "--token-file", "--ca", "--context",
            "--config", "-o", "--output");

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Control plane address (default: $EGCTL_SERVER, else the context's, else " + DEFAULT_SERVER + ").")
    private String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Bearer token (default: $EGCTL_TOKEN, else the context's).")
    private String token;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "Read the token from a file.")
    private Path tokenFile;

    @Option(names = "--ca", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "CA bundle that signed the control plane's certificate (default: $EGCTL_CA, else the context's).")
    private Path ca;

    @Option(names = "--insecure", scope = ScopeType.INHERIT,
            description = "Plaintext, for a control plane started with --insecure (no token is sent: it checks none).")
    private boolean insecure;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Use this context of the config file instead of the current one.")
    private String context;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "egctl's config file (default: $EGCTL_CONFIG, else ~/.config/edgegate/egctl.yaml).")
    private Path config;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: table, yaml or json (default: table).")
    private OutputFormat output = OutputFormat.table;

    Egctl(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(run(args, Terminal.system()));
    }

    /** Runs one egctl command line and returns its exit status: 0 done, 1 failed, 2 usage error. */
    public static int run(String[] args, Terminal terminal) {
        // picocli reads a command's whole model when it is added: only the one named is, unless help needs them all.
        CommandLine commandLine = commandLine(terminal, subcommandNamed(args).map(List::<Class<?>>of).orElse(SUBCOMMANDS));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(terminal.out())
                .setErr(terminal.err())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof CommandFailure) {
                        terminal.err().println("Error: " + e.getMessage());
                        terminal.err().flush();
                        return 1;
                    }
                    throw e;
                });
        int status = commandLine.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return status;
    }

    /** egctl with every subcommand (for completion scripts, which describe them all). */
    static CommandLine fullCommandLine(Terminal terminal) {
        return commandLine(terminal, SUBCOMMANDS);
    }

    private static CommandLine commandLine(Terminal terminal, List<Class<?>> subcommands) {
        CommandLine commandLine = new CommandLine(new Egctl(terminal));
        subcommands.forEach(commandLine::addSubcommand);
        // Relative paths start where the command was started (egctl's daemon runs elsewhere); after the subcommands, so they have it too.
        commandLine.registerConverter(java.nio.file.Path.class, terminal::resolve);
        return commandLine;
    }

    /** The subcommand the first word that is no option (or an option's value) names, unless that is help. */
    private static Optional<Class<?>> subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUES.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                for (Class<?> subcommand : SUBCOMMANDS) {
                    Command command = subcommand.getAnnotation(Command.class);
                    if (subcommand != CommandLine.HelpCommand.class
                            && (command.name().equals(arg) || List.of(command.aliases()).contains(arg))) {
                        return Optional.of(subcommand);
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.out());
        return 2;
    }

    Terminal terminal() {
        return terminal;
    }

    OutputFormat output() {
        return output;
    }

    ControlPlaneClient connect() {
        return new ControlPlaneClient(Connection.resolve(flags(), terminal));
    }

    Connection.Flags flags() {
        return new Connection.Flags(server, ca, token, tokenFile, insecure, context, config);
    }

    java.nio.file.Path configFile() {
        return EgctlConfig.location(java.util.Optional.ofNullable(config), terminal);
    }

    /** The version recorded in the jar's manifest at build time. */
    static final class Version extends io.edgegate.cli.ProductVersion {
        Version() {
            super("egctl");
        }
    }
}
