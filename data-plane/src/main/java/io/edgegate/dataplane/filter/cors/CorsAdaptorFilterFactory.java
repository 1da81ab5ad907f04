package io.edgegate.dataplane.filter.cors;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.cors.CorsAdaptorSpec;

/** Builds CORSAdaptor filters. */
public final class CorsAdaptorFilterFactory implements FilterFactory<CorsAdaptorSpec> {

    @Override
    public String kind() {
        return CorsAdaptorSpec.KIND;
    }

    @Override
    public Class<CorsAdaptorSpec> specType() {
        return CorsAdaptorSpec.class;
    }

    @Override
    public Filter create(CorsAdaptorSpec spec) {
        return new CorsAdaptorFilter(spec);
    }
}
