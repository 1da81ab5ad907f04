package io.edgegate.dataplane.filter.fallback;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.fallback.FallbackSpec;

/** Builds Fallback filters. */
public final class FallbackFilterFactory implements FilterFactory<FallbackSpec> {

    @Override
    public String kind() {
        return FallbackSpec.KIND;
    }

    @Override
    public Class<FallbackSpec> specType() {
        return FallbackSpec.class;
    }

    @Override
    public Filter create(FallbackSpec spec) {
        return new FallbackFilter(spec);
    }
}
