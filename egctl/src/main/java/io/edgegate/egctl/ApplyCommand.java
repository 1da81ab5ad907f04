package io.edgegate.egctl;

import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import picocli.CommandLine.Command;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Create or update objects. All documents are validated first and written together, or not at all.")
final class ApplyCommand extends WriteCommand {

    @Override
    WriteResponse send(ControlPlaneClient client, WriteRequest request) {
        return client.objects(stub -> stub.apply(request));
    }
}
