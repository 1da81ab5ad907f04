package io.edgegate.egctl;

import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import picocli.CommandLine.Command;

@Command(name = "create", mixinStandardHelpOptions = true, subcommands = CreateHttpProxyCommand.class,
        description = "Create objects; fails, writing nothing, if any of them exists already.")
final class CreateCommand extends WriteCommand {

    @Override
    WriteResponse send(ControlPlaneClient client, WriteRequest request) {
        return client.objects(stub -> stub.create(request));
    }
}
