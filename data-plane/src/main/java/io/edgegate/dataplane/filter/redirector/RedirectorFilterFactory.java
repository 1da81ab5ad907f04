package io.edgegate.dataplane.filter.redirector;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.redirector.RedirectorSpec;

/** Builds Redirector filters; they hold only their compiled pattern and template. */
public final class RedirectorFilterFactory implements FilterFactory<RedirectorSpec> {

    @Override
    public String kind() {
        return RedirectorSpec.KIND;
    }

    @Override
    public Class<RedirectorSpec> specType() {
        return RedirectorSpec.class;
    }

    @Override
    public Filter create(RedirectorSpec spec) {
        return new RedirectorFilter(spec);
    }
}
