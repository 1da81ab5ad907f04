package io.edgegate.egctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.Document;
import io.edgegate.api.v1.ValidationMode;
import io.edgegate.api.v1.WriteRequest;
import io.edgegate.spec.codec.DocumentParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code egctl create httpproxy}, as in Easegress v2: an HTTPServer and a Pipeline per rule from
 * the command line. Unlike Easegress, which creates them one by one, the objects are written
 * together or not at all, so a name taken halfway leaves nothing behind.
 */
@Command(name = "httpproxy", mixinStandardHelpOptions = true,
        description = {"Create an HTTPServer NAME on --port and, for each --rule, a Pipeline NAME-<i> proxying to its endpoints "
                + "(round-robin); fails, writing nothing, if any of them exists.",
                "  egctl create httpproxy demo --port 10080 --rule /bar=http://127.0.0.1:8080,http://127.0.0.1:8081 "
                        + "--rule 'foo.com/prefix*=http://127.0.0.1:8082'"})
final class CreateHttpProxyCommand implements Callable<Integer> {

    @ParentCommand
    CreateCommand create;

    @Mixin
    WriteOptions options;

    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the HTTPServer; its pipelines are NAME-0, NAME-1, …")
    String name;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port the HTTPServer listens on.")
    int port;

    @Option(names = "--rule", required = true, paramLabel = "HOST/PATH=URL[,URL…]",
            description = "Requests for HOST (empty: any host) and PATH go to these endpoints; a PATH ending in * is a prefix. Repeatable.")
    List<String> rules;

    @Option(names = "--tls", description = "Serve HTTPS with the --cert-file/--key-file pairs.")
    boolean tls;

    @Option(names = "--ca-cert-file", paramLabel = "FILE", description = "CA bundle: clients must present a certificate it signed (needs --tls).")
    Path caCertFile;

    @Option(names = "--cert-file", paramLabel = "FILE", description = "A certificate (PEM) to serve; repeatable, one per --key-file.")
    List<Path> certFiles = new ArrayList<>();

    @Option(names = "--key-file", paramLabel = "FILE", description = "The private key (PEM) of the --cert-file at the same place.")
    List<Path> keyFiles = new ArrayList<>();

    @Option(names = "--auto-cert", description = "Easegress's ACME certificates: refused, EdgeGate builds no ACME client.")
    boolean autoCert;

    @Option(names = {"--auto-cert-email", "--auto-cert-domain-name", "--dns-provider"}, paramLabel = "VALUE", hidden = true)
    List<String> autoCertSettings = new ArrayList<>();

    @Override
    public Integer call() {
        Egctl root = create.root;
        if (create.input.given()) {
            throw new CommandFailure("create httpproxy builds its objects from its options and reads no -f files; "
                    + "create them with egctl create -f alone");
        }
        return options.orParent(create.options).write(root, this::request, (client, request) -> client.objects(stub -> stub.create(request)));
    }

    private WriteRequest.Builder request() {
        if (autoCert || !autoCertSettings.isEmpty()) {
            throw new CommandFailure("automatic certificates (ACME) are not built in EdgeGate; give --tls with --cert-file and --key-file");
        }
        if (port < 1 || port > 65535) {
            throw new CommandFailure("--port " + port + " is not a port (1-65535)");
        }
        List<HttpProxyObjects.Rule> parsed = rules.stream().map(HttpProxyObjects.Rule::parse).toList();
        DocumentParser parser = new DocumentParser();
        WriteRequest.Builder request = WriteRequest.newBuilder().setValidation(ValidationMode.STRICT);
        List<ObjectNode> objects = HttpProxyObjects.objects(name, port, parsed, tls());
        for (int i = 0; i < objects.size(); i++) {
            request.addDocuments(Document.newBuilder().setSource("egctl create httpproxy").setIndex(i + 1).setFirstLine(1)
                    .setText(parser.toYaml(objects.get(i))));
        }
        return request;
    }

    private Optional<HttpProxyObjects.Tls> tls() {
        if (certFiles.size() != keyFiles.size()) {
            throw new CommandFailure("--cert-file and --key-file come in pairs: got " + certFiles.size() + " --cert-file and "
                    + keyFiles.size() + " --key-file");
        }
        if (!tls) {
            // Easegress drops them silently and serves plain HTTP; a user who gave them wants HTTPS.
            if (!certFiles.isEmpty() || caCertFile != null) {
                throw new CommandFailure("--cert-file, --key-file and --ca-cert-file need --tls");
            }
            return Optional.empty();
        }
        if (certFiles.isEmpty()) {
            throw new CommandFailure("--tls needs at least one --cert-file and its --key-file");
        }
        Map<String, String> certs = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < certFiles.size(); i++) {
            // Named by the file, as Easegress names them by the path given; by the whole path when two files share a name.
            String key = certFiles.get(i).getFileName().toString();
            if (certs.containsKey(key)) {
                key = certFiles.get(i).toString();
            }
            certs.put(key, base64(certFiles.get(i)));
            keys.put(key, base64(keyFiles.get(i)));
        }
        return Optional.of(new HttpProxyObjects.Tls(Optional.ofNullable(caCertFile).map(CreateHttpProxyCommand::base64), certs, keys));
    }

    private static String base64(Path file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage());
        }
    }
}
