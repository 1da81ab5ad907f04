package io.edgegate.dataplane.filter.ipfilter;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.ipfilter.IpFilterSpec;

/** Builds IPFilter filters from their address rules. */
public final class IpFilterFilterFactory implements FilterFactory<IpFilterSpec> {

    @Override
    public String kind() {
        return IpFilterSpec.KIND;
    }

    @Override
    public Class<IpFilterSpec> specType() {
        return IpFilterSpec.class;
    }

    @Override
    public Filter create(IpFilterSpec spec) {
        return new IpFilterFilter(spec);
    }
}
