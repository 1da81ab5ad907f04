package io.edgegate.dataplane.filter.requestbuilder;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.requestbuilder.RequestBuilderSpec;

/** Builds RequestBuilder filters; each parses its template once per config. */
public final class RequestBuilderFilterFactory implements FilterFactory<RequestBuilderSpec> {

    @Override
    public String kind() {
        return RequestBuilderSpec.KIND;
    }

    @Override
    public Class<RequestBuilderSpec> specType() {
        return RequestBuilderSpec.class;
    }

    @Override
    public Filter create(RequestBuilderSpec spec) {
        return new RequestBuilderFilter(spec);
    }
}
