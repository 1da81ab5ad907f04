package io.edgegate.dataplane.filter.redirectorv2;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.redirectorv2.RedirectorV2Spec;

/** Builds RedirectorV2 filters. */
public final class RedirectorV2FilterFactory implements FilterFactory<RedirectorV2Spec> {

    @Override
    public String kind() {
        return RedirectorV2Spec.KIND;
    }

    @Override
    public Class<RedirectorV2Spec> specType() {
        return RedirectorV2Spec.class;
    }

    @Override
    public Filter create(RedirectorV2Spec spec) {
        return new RedirectorV2Filter(spec);
    }
}
