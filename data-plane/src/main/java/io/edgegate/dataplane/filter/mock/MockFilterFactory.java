package io.edgegate.dataplane.filter.mock;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.mock.MockSpec;

/** Builds Mock filters; their bodies are encoded once per config. */
public final class MockFilterFactory implements FilterFactory<MockSpec> {

    @Override
    public String kind() {
        return MockSpec.KIND;
    }

    @Override
    public Class<MockSpec> specType() {
        return MockSpec.class;
    }

    @Override
    public Filter create(MockSpec spec) {
        return new MockFilter(spec);
    }
}
