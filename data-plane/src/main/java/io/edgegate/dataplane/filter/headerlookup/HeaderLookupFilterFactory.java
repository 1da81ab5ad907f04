package io.edgegate.dataplane.filter.headerlookup;

import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.headerlookup.HeaderLookupSpec;

/** Builds HeaderLookup filters over the node's custom data. */
public final class HeaderLookupFilterFactory implements FilterFactory<HeaderLookupSpec> {

    private final CustomDataView customData;

    public HeaderLookupFilterFactory(CustomDataView customData) {
        this.customData = customData;
    }

    @Override
    public String kind() {
        return HeaderLookupSpec.KIND;
    }

    @Override
    public Class<HeaderLookupSpec> specType() {
        return HeaderLookupSpec.class;
    }

    @Override
    public Filter create(HeaderLookupSpec spec) {
        return new HeaderLookupFilter(spec, customData);
    }
}
