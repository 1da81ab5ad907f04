package io.edgegate.dataplane.filter.fileserver;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.spec.filter.fileserver.FileServerSpec;
import java.util.concurrent.Executor;

/** Builds FileServer filters on the node's file-I/O executor, so no event loop waits on a disk. */
public final class FileServerFilterFactory implements FilterFactory<FileServerSpec> {

    private final Executor fileIo;
    /** One for the node's life: filters of every config share it. */
    private final FileCacheBudget budget = FileCacheBudget.quarterOfHeap();

    public FileServerFilterFactory(Executor fileIo) {
        this.fileIo = fileIo;
    }

    @Override
    public String kind() {
        return FileServerSpec.KIND;
    }

    @Override
    public Class<FileServerSpec> specType() {
        return FileServerSpec.class;
    }

    @Override
    public Filter create(FileServerSpec spec) {
        return new FileServerFilter(spec, fileIo, budget);
    }
}
