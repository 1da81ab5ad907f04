package io.edgegate.dataplane.filter.ipfilter;

import io.edgegate.dataplane.net.IpAccess;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.ipfilter.IpFilterSpec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Refuses clients its rules do not allow: 403 and the result {@code blocked}. */
final class IpFilterFilter implements Filter {

    private static final CompletableFuture<String> PASS = CompletableFuture.completedFuture(SUCCESS);
    private static final CompletableFuture<String> BLOCKED = CompletableFuture.completedFuture(IpFilterSpec.RESULT_BLOCKED);

    private final IpAccess access;

    IpFilterFilter(IpFilterSpec spec) {
        this.access = IpAccess.of(spec.rules());
    }

    @Override
    public CompletionStage<String> handle(RequestContext context) {
        if (access.allows(context.client())) {
            return PASS;
        }
        context.respond(HttpResponseStatus.FORBIDDEN, "your address may not use this service");
        return BLOCKED;
    }
}
