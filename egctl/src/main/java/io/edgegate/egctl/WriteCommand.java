package io.edgegate.egctl;

import io.edgegate.api.v1.WriteRequest;
import io.edgegate.api.v1.WriteResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** What apply and create share: read documents, send them in one request, report each object. */
abstract class WriteCommand implements Callable<Integer> {

    @ParentCommand
    Egctl root;

    @Mixin
    DocumentInput input;

    @Mixin
    WriteOptions options;

    abstract WriteResponse send(ControlPlaneClient client, WriteRequest request);

    @Override
    public Integer call() {
        return options.write(root, () -> input.request(root.terminal()), this::send);
    }
}
