package io.edgegate.dataplane.filter.databuilder;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.databuilder.DataBuilderSpec;

/** Builds DataBuilder filters; each parses its template once per config. */
public final class DataBuilderFilterFactory implements FilterFactory<DataBuilderSpec> {

    @Override
    public String kind() {
        return DataBuilderSpec.KIND;
    }

    @Override
    public Class<DataBuilderSpec> specType() {
        return DataBuilderSpec.class;
    }

    @Override
    public Filter create(DataBuilderSpec spec) {
        return new DataBuilderFilter(spec);
    }
}
