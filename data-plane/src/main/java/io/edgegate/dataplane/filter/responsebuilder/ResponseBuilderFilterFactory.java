package io.edgegate.dataplane.filter.responsebuilder;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.responsebuilder.ResponseBuilderSpec;

/** Builds ResponseBuilder filters; each parses its template once per config. */
public final class ResponseBuilderFilterFactory implements FilterFactory<ResponseBuilderSpec> {

    @Override
    public String kind() {
        return ResponseBuilderSpec.KIND;
    }

    @Override
    public Class<ResponseBuilderSpec> specType() {
        return ResponseBuilderSpec.class;
    }

    @Override
    public Filter create(ResponseBuilderSpec spec) {
        return new ResponseBuilderFilter(spec);
    }
}
