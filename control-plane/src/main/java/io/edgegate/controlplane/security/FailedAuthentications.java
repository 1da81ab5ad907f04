package io.edgegate.controlplane.security;

/**
 * Failed authentications per client address, ten a second (twenty at once): past that an address is
 * answered without a look at its token, so guessing cannot turn into a flood of etcd reads or push the
 * tokens in use out of their cache. The gRPC API and the console each keep one.
 */
public final class FailedAuthentications {

    static final double PER_SECOND = 10;

    private final CallRateLimit limit = new CallRateLimit(PER_SECOND, System::nanoTime);

    /** Whether {@code address} failed too often just now: refuse it before checking anything. */
    public boolean tooMany(String address) {
        return limit.exhausted(address);
    }

    /** Counts a failed authentication from {@code address}. */
    public void failed(String address) {
        limit.tryAcquire(address);
    }
}
