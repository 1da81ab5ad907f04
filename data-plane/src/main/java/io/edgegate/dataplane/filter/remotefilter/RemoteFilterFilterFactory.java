package io.edgegate.dataplane.filter.remotefilter;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.remotefilter.RemoteFilterSpec;

/** Builds RemoteFilter filters; they call their service over the node's upstream connections. */
public final class RemoteFilterFilterFactory implements FilterFactory<RemoteFilterSpec> {

    private final UpstreamClient client;

    public RemoteFilterFilterFactory(UpstreamClient client) {
        this.client = client;
    }

    @Override
    public String kind() {
        return RemoteFilterSpec.KIND;
    }

    @Override
    public Class<RemoteFilterSpec> specType() {
        return RemoteFilterSpec.class;
    }

    @Override
    public Filter create(RemoteFilterSpec spec) {
        return new RemoteFilterFilter(spec, client);
    }
}
