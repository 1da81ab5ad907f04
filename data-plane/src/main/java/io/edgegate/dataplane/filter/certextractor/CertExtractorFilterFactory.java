package io.edgegate.dataplane.filter.certextractor;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.certextractor.CertExtractorSpec;

/** Builds CertExtractor filters. */
public final class CertExtractorFilterFactory implements FilterFactory<CertExtractorSpec> {

    @Override
    public String kind() {
        return CertExtractorSpec.KIND;
    }

    @Override
    public Class<CertExtractorSpec> specType() {
        return CertExtractorSpec.class;
    }

    @Override
    public Filter create(CertExtractorSpec spec) {
        return new CertExtractorFilter(spec);
    }
}
