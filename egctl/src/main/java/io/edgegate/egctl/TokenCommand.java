package io.edgegate.egctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.CreateTokenRequest;
import io.edgegate.api.v1.CreateTokenResponse;
import io.edgegate.api.v1.ListTokensRequest;
import io.edgegate.api.v1.ListTokensResponse;
import io.edgegate.api.v1.RevokeTokenRequest;
import io.edgegate.api.v1.TokenInfo;
import io.edgegate.api.v1.WhoAmIRequest;
import io.edgegate.cli.DurationConverter;
import io.edgegate.spec.codec.DocumentParser;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code egctl token create|list|revoke|whoami}: bearer tokens with roles (admin only, but whoami). */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage the tokens egctl authenticates with.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class, TokenCommand.WhoAmI.class})
final class TokenCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it on its own line; it is shown only this once.")
    static final class Create implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin.")
        String role;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Lower-case letters, digits and '-'.")
        String name;

        @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long it works (e.g. 24h); without it, until revoked.")
        Duration ttl;

        @Override
        public Integer call() {
            Egctl root = parent.root;
            CreateTokenResponse response;
            try (ControlPlaneClient client = root.connect()) {
                response = client.tokens(stub -> stub.create(CreateTokenRequest.newBuilder().setName(name).setRole(role)
                        .setTtlMillis(ttl == null ? 0 : ttl.toMillis()).build()));
            }
            root.terminal().out().println(response.getToken());
            root.terminal().err().println("token " + name + " (role " + response.getInfo().getRole() + ", expires "
                    + expiry(response.getInfo()) + ") created; keep it now, it cannot be shown again");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Override
        public Integer call() {
            Egctl root = parent.root;
            ListTokensResponse response;
            try (ControlPlaneClient client = root.connect()) {
                response = client.tokens(stub -> stub.list(ListTokensRequest.getDefaultInstance()));
            }
            if (root.output() == OutputFormat.table) {
                Table table = new Table("NAME", "ROLE", "CREATED", "EXPIRES");
                for (TokenInfo token : response.getTokensList()) {
                    table.row(token.getName(), token.getRole(), Instant.ofEpochMilli(token.getCreatedAtMillis()), expiry(token));
                }
                table.print(root.terminal().out());
                return 0;
            }
            ArrayNode list = new ObjectMapper().createArrayNode();
            for (TokenInfo token : response.getTokensList()) {
                ObjectNode node = list.addObject();
                node.put("name", token.getName()).put("role", token.getRole())
                        .put("created", Instant.ofEpochMilli(token.getCreatedAtMillis()).toString()).put("expires", expiry(token));
            }
            DocumentParser parser = new DocumentParser();
            root.terminal().out().println(root.output() == OutputFormat.json ? parser.toPrettyJson(list) : parser.toYaml(list));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token: it stops working on every control-plane replica within a second.")
    static final class Revoke implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ControlPlaneClient client = parent.root.connect()) {
                client.tokens(stub -> stub.revoke(RevokeTokenRequest.newBuilder().setName(name).build()));
            }
            parent.root.terminal().out().println("token " + name + " revoked");
            return 0;
        }
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true, description = "The name and role of the token in use.")
    static final class WhoAmI implements Callable<Integer> {

        @ParentCommand
        TokenCommand parent;

        @Override
        public Integer call() {
            TokenInfo info;
            try (ControlPlaneClient client = parent.root.connect()) {
                info = client.tokens(stub -> stub.whoAmI(WhoAmIRequest.getDefaultInstance()));
            }
            parent.root.terminal().out().println(info.getName() + " (" + info.getRole() + ")");
            return 0;
        }
    }

    static String expiry(TokenInfo token) {
        return token.getExpiresAtMillis() == 0 ? "never" : Instant.ofEpochMilli(token.getExpiresAtMillis()).toString();
    }
}
