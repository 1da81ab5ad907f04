package io.edgegate.dataplane.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Already-completed results for filters that decide synchronously, built once per filter so
 * the hot path allocates nothing to say "done".
 */
public final class FilterResults {

    private static final CompletableFuture<String> SUCCESS = CompletableFuture.completedFuture(Filter.SUCCESS);

    private final Map<String, CompletableFuture<String>> completed = new HashMap<>();

    public FilterResults(Iterable<String> results) {
        for (String result : results) {
            completed.put(result, CompletableFuture.completedFuture(result));
        }
    }

    public static CompletionStage<String> success() {
        return SUCCESS;
    }

    public CompletionStage<String> of(String result) {
        CompletableFuture<String> done = completed.get(result);
        if (done == null) {
            throw new IllegalArgumentException("undeclared result: " + result);
        }
        return done;
    }
}
