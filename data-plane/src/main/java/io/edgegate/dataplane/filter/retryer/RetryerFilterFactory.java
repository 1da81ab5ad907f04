package io.edgegate.dataplane.filter.retryer;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.retryer.RetryerSpec;

/** Builds Retryer filters; a policy's retry budget lives as long as the filter. */
public final class RetryerFilterFactory implements FilterFactory<RetryerSpec> {

    @Override
    public String kind() {
        return RetryerSpec.KIND;
    }

    @Override
    public Class<RetryerSpec> specType() {
        return RetryerSpec.class;
    }

    @Override
    public Filter create(RetryerSpec spec) {
        return new RetryerFilter(spec, System::nanoTime);
    }
}
