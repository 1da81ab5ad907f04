package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;

/**
 * Easegress's {@code serverMaxBodySize} of a Proxy or a pool: the largest answer body taken from a
 * server. -1 and 0 (the default) stream answers without a limit, which is Easegress's -1 (its own
 * default, 4 MB, refuses larger answers; here they stream). A positive limit is Easegress's: an
 * answer whose Content-Length is larger is refused with 500 ({@code internalError}), and one
 * without a length is read whole first, up to the limit, and refused the same way past it.
 */
final class ServerBodyLimit {

    /** Not set: a pool takes its Proxy's, and without one answers stream. */
    static final long NONE = 0;
    /** -1: answers stream, whatever the Proxy's limit (Easegress inherits the Proxy's only for 0). */
    static final long STREAM = -1;

    private ServerBodyLimit() {
    }

    static long decode(SpecObject o) {
        return o.longValue("serverMaxBodySize", NONE, STREAM, Long.MAX_VALUE);
    }
}
