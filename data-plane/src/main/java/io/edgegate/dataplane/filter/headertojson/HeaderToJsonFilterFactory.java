package io.edgegate.dataplane.filter.headertojson;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.headertojson.HeaderToJsonSpec;

/** Builds HeaderToJSON filters. */
public final class HeaderToJsonFilterFactory implements FilterFactory<HeaderToJsonSpec> {

    @Override
    public String kind() {
        return HeaderToJsonSpec.KIND;
    }

    @Override
    public Class<HeaderToJsonSpec> specType() {
        return HeaderToJsonSpec.class;
    }

    @Override
    public Filter create(HeaderToJsonSpec spec) {
        return new HeaderToJsonFilter(spec);
    }
}
