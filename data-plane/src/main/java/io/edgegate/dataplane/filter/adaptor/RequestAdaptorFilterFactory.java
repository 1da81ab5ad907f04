package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.adaptor.RequestAdaptorSpec;

/** Builds RequestAdaptor filters. */
public final class RequestAdaptorFilterFactory implements FilterFactory<RequestAdaptorSpec> {

    @Override
    public String kind() {
        return RequestAdaptorSpec.KIND;
    }

    @Override
    public Class<RequestAdaptorSpec> specType() {
        return RequestAdaptorSpec.class;
    }

    @Override
    public Filter create(RequestAdaptorSpec spec) {
        return new RequestAdaptorFilter(spec);
    }
}
