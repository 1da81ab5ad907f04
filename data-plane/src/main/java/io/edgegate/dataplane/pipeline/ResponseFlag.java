package io.edgegate.dataplane.pipeline;

/**
 * Why a request ended the way it did, in Envoy's access-log vocabulary ({@code %RESPONSE_FLAGS%}):
 * operators grep for {@code UF} or {@code UH} across proxies. A request may carry several.
 */
public enum ResponseFlag {
    /** No route matched the request. */
    NO_ROUTE("NR"),
    /** The pool had no server in rotation. */
    NO_HEALTHY_UPSTREAM("UH"),
    /** The upstream could not be connected to. */
    UPSTREAM_CONNECTION_FAILURE("UF"),
    /** The upstream did not answer in time (pool timeout or TimeLimiter). */
    UPSTREAM_REQUEST_TIMEOUT("UT"),
    /** The upstream connection broke during the exchange. */
    UPSTREAM_CONNECTION_TERMINATION("UC"),
    /** A circuit breaker was open: the upstream was not called. */
    UPSTREAM_OVERFLOW("UO"),
    /** The retry policy's attempts were used up and the last one failed too. */
    UPSTREAM_RETRY_LIMIT_EXCEEDED("URX"),
    /** A RateLimiter refused the request. */
    RATE_LIMITED("RL"),
    /** The client closed the connection before its answer. */
    DOWNSTREAM_CONNECTION_TERMINATION("DC"),
    /** The request was malformed or over a limit before any route (its head was refused). */
    DOWNSTREAM_PROTOCOL_ERROR("DPE");

    private final String code;

    ResponseFlag(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** {@code UF,URX}, or {@code -} for none, as Envoy prints them. */
    public static String format(int flags) {
        if (flags == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (ResponseFlag flag : values()) {
            if ((flags & flag.bit()) != 0) {
                if (!out.isEmpty()) {
                    out.append(',');
                }
                out.append(flag.code);
            }
        }
        return out.toString();
    }

    /** The flag a filter's result stands for, or 0: the results that mean the same wherever they come from. */
    static int ofResult(String result) {
        return switch (result) {
            case "rateLimited" -> RATE_LIMITED.bit();
            case "shortCircuited" -> UPSTREAM_OVERFLOW.bit();
            case "timeout" -> UPSTREAM_REQUEST_TIMEOUT.bit();
            default -> 0;
        };
    }
}
