package io.edgegate.dataplane.filter.apiaggregator;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.apiaggregator.ApiAggregatorSpec;

/** Builds APIAggregator filters. */
public final class ApiAggregatorFilterFactory implements FilterFactory<ApiAggregatorSpec> {

    @Override
    public String kind() {
        return ApiAggregatorSpec.KIND;
    }

    @Override
    public Class<ApiAggregatorSpec> specType() {
        return ApiAggregatorSpec.class;
    }

    @Override
    public Filter create(ApiAggregatorSpec spec) {
        return new ApiAggregatorFilter(spec);
    }
}
