package io.edgegate.dataplane.pipeline;

/**
 * How the Proxy may retry a request, set on it by a Retryer. The Proxy decides what is safe to
 * send again; the plan says what counts as failed, how long to wait, and whether the budget
 * allows one more retry.
 */
public interface RetryPlan {

    /** Attempts in all, the first included. */
    int maxAttempts();

    /** {@code status} 0: the server could not be reached or did not answer in time. */
    boolean failed(int status);

    /** The wait before retry number {@code retry} (1 for the first). */
    long backoffNanos(int retry);

    /** Takes one retry from the budget; false when retries would exceed it. */
    boolean takeRetry();

    /** No retries: one attempt. */
    RetryPlan NONE = new RetryPlan() {
        @Override
        public int maxAttempts() {
            return 1;
        }

        @Override
        public boolean failed(int status) {
            return false;
        }

        @Override
        public long backoffNanos(int retry) {
            return 0;
        }

        @Override
        public boolean takeRetry() {
            return false;
        }
    };
}
