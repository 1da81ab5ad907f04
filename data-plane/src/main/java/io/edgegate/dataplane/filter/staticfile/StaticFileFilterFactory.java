package io.edgegate.dataplane.filter.staticfile;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.staticfile.StaticFileSpec;
import java.util.concurrent.Executor;

/** Builds StaticFile filters; they share the node's file-I/O executor, so no event loop waits on a disk. */
public final class StaticFileFilterFactory implements FilterFactory<StaticFileSpec> {

    private final Executor fileIo;

    public StaticFileFilterFactory(Executor fileIo) {
        this.fileIo = fileIo;
    }

    @Override
    public String kind() {
        return StaticFileSpec.KIND;
    }

    @Override
    public Class<StaticFileSpec> specType() {
        return StaticFileSpec.class;
    }

    @Override
    public Filter create(StaticFileSpec spec) {
        return new StaticFileFilter(spec, fileIo);
    }
}
