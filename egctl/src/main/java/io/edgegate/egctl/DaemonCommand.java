package io.edgegate.egctl;

import io.edgegate.egctl.daemon.DaemonState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code egctl daemon status|stop}: the warm egctl that bin/egctl leaves behind for later calls. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Show or stop the warm egctl that answers later calls of bin/egctl (one per user; it exits after 15 idle minutes).",
            "EGCTL_DAEMON=off makes bin/egctl run every call on its own."})
final class DaemonCommand implements Callable<Integer> {

    enum Action { status, stop }

    @ParentCommand
    Egctl root;

    @Parameters(paramLabel = "ACTION", description = "status or stop")
    Action action;

    @Override
    public Integer call() {
        DaemonState state = DaemonState.of(root.terminal().env());
        Optional<ProcessHandle> daemon = state.running();
        if (action == Action.status) {
            root.terminal().out().println(daemon.map(p -> "running (pid " + p.pid() + "; state in " + state.file() + ")")
                    .orElse("not running"));
            return 0;
        }
        if (daemon.isEmpty()) {
            root.terminal().out().println("not running");
            return 0;
        }
        daemon.get().destroy();
        daemon.get().onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
        state.forget();
        root.terminal().out().println("stopped (pid " + daemon.get().pid() + ")");
        return 0;
    }
}
