package io.edgegate.dataplane.filter.adaptor;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.pipeline.FilterScope;
import io.edgegate.spec.filter.adaptor.ResponseAdaptorSpec;

/** Builds ResponseAdaptor filters. */
public final class ResponseAdaptorFilterFactory implements FilterFactory<ResponseAdaptorSpec> {

    @Override
    public String kind() {
        return ResponseAdaptorSpec.KIND;
    }

    @Override
    public Class<ResponseAdaptorSpec> specType() {
        return ResponseAdaptorSpec.class;
    }

    @Override
    public Filter create(ResponseAdaptorSpec spec) {
        return new ResponseAdaptorFilter(spec, false);
    }

    @Override
    public Filter create(ResponseAdaptorSpec spec, FilterScope scope) {
        return new ResponseAdaptorFilter(spec, scope.inV1Pipeline());
    }
}
