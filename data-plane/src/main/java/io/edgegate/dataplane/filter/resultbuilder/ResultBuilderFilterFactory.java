package io.edgegate.dataplane.filter.resultbuilder;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.resultbuilder.ResultBuilderSpec;

/** Builds ResultBuilder filters; each parses its template once per config. */
public final class ResultBuilderFilterFactory implements FilterFactory<ResultBuilderSpec> {

    @Override
    public String kind() {
        return ResultBuilderSpec.KIND;
    }

    @Override
    public Class<ResultBuilderSpec> specType() {
        return ResultBuilderSpec.class;
    }

    @Override
    public Filter create(ResultBuilderSpec spec) {
        return new ResultBuilderFilter(spec);
    }
}
