package io.edgegate.egctl;

import io.edgegate.security.NodeIdentity;
import io.edgegate.security.PkiDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code egctl pki init|node}: a cluster CA and the certificates of the control plane, etcd and
 * each node, in one directory (0700, keys 0600). Works offline; no control plane needed.
 */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "Make the cluster's CA and certificates.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Node.class})
final class PkiCommand extends CommandGroup {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Make (or keep) the CA, and issue the control plane's, etcd's and the given nodes' certificates.")
    static final class Init implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Option(names = "--dir", required = true, paramLabel = "DIR")
        Path dir;

        @Option(names = "--host", split = ",", paramLabel = "NAME",
                description = "Names and IPs the control plane and etcd are reached at (default: 127.0.0.1,localhost).")
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1", "localhost"));

        @Option(names = "--nodes", split = ",", paramLabel = "NODE_ID", description = "Data-plane nodes to issue certificates for.")
        List<String> nodes = List.of();

        @Option(names = "--trust-domain", defaultValue = NodeIdentity.DEFAULT_TRUST_DOMAIN, paramLabel = "DOMAIN")
        String trustDomain;

        @Override
        public Integer call() throws IOException {
            PkiDirectory pki = new PkiDirectory(dir);
            PrintWriter out = parent.root.terminal().out();
            try {
                pki.authority();
                pki.issueServer("control-plane", hosts);
                pki.etcd().issueServer("etcd-server", hosts);
                pki.etcd().issueClient("etcd-client");
                for (String node : nodes) {
                    pki.issueNode(trustDomain, node);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage());
            }
            out.println("CA:             " + pki.caCertificate());
            out.println("control plane:  " + pki.certificate("control-plane") + " (for " + String.join(", ", hosts) + ")");
            out.println("etcd CA:        " + pki.etcd().caCertificate() + " (etcd's own: node certificates are no etcd login)");
            out.println("etcd server:    " + pki.etcd().certificate("etcd-server"));
            out.println("etcd client:    " + pki.etcd().certificate("etcd-client"));
            for (String node : nodes) {
                out.println("node " + node + ":    " + pki.nodeBundle(node) + " (data-plane --pki-dir; give the node only this)");
            }
            return 0;
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Issue (or replace) a node's certificate (spiffe://<trust-domain>/node/<NODE_ID>) into its bundle "
                    + "DIR/nodes/<NODE_ID>: node.pem, node-key.pem and the cluster CA's ca.pem; prints the bundle's path.")
    static final class Node implements Callable<Integer> {

        @ParentCommand
        PkiCommand parent;

        @Parameters(index = "0", paramLabel = "NODE_ID")
        String nodeId;

        @Option(names = "--dir", required = true, paramLabel = "DIR")
        Path dir;

        @Option(names = "--trust-domain", defaultValue = NodeIdentity.DEFAULT_TRUST_DOMAIN, paramLabel = "DOMAIN")
        String trustDomain;

        @Override
        public Integer call() throws IOException {
            PkiDirectory pki = new PkiDirectory(dir);
            try {
                pki.issueNode(trustDomain, nodeId);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(e.getMessage());
            }
            parent.root.terminal().out().println(pki.nodeBundle(nodeId));
            return 0;
        }
    }
}
