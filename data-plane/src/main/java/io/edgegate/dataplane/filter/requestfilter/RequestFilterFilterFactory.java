package io.edgegate.dataplane.filter.requestfilter;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.requestfilter.RequestFilterSpec;

/** Builds RequestFilter filters; their patterns are compiled once per config. */
public final class RequestFilterFilterFactory implements FilterFactory<RequestFilterSpec> {

    @Override
    public String kind() {
        return RequestFilterSpec.KIND;
    }

    @Override
    public Class<RequestFilterSpec> specType() {
        return RequestFilterSpec.class;
    }

    @Override
    public Filter create(RequestFilterSpec spec) {
        return new RequestFilterFilter(spec);
    }
}
