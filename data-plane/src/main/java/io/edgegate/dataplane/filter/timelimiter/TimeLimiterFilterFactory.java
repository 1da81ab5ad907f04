package io.edgegate.dataplane.filter.timelimiter;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.timelimiter.TimeLimiterSpec;

/** Builds TimeLimiter filters. */
public final class TimeLimiterFilterFactory implements FilterFactory<TimeLimiterSpec> {

    @Override
    public String kind() {
        return TimeLimiterSpec.KIND;
    }

    @Override
    public Class<TimeLimiterSpec> specType() {
        return TimeLimiterSpec.class;
    }

    @Override
    public Filter create(TimeLimiterSpec spec) {
        return new TimeLimiterFilter(spec);
    }
}
