package io.edgegate.dataplane.filter.ratelimiter;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.ratelimiter.RateLimiterSpec;

/** Builds RateLimiter filters; their permits live as long as the filter (an unchanged filter keeps them across applies). */
public final class RateLimiterFilterFactory implements FilterFactory<RateLimiterSpec> {

    @Override
    public String kind() {
        return RateLimiterSpec.KIND;
    }

    @Override
    public Class<RateLimiterSpec> specType() {
        return RateLimiterSpec.class;
    }

    @Override
    public Filter create(RateLimiterSpec spec) {
        return new RateLimiterFilter(spec, System::nanoTime);
    }
}
