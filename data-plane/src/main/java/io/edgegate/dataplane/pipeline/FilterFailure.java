package io.edgegate.dataplane.pipeline;

/** A filter threw or failed instead of returning a result; names the filter for the log. */
public final class FilterFailure extends RuntimeException {

    private final String filterName;

    public FilterFailure(String filterName, Throwable cause) {
        super("filter '" + filterName + "' failed: " + cause, cause);
        this.filterName = filterName;
    }

    public String filterName() {
        return filterName;
    }
}
