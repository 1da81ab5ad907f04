package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;

/**
 * Easegress's {@code serverMaxBodySize} of a Proxy or a pool: answers here stream without a size limit, which
 * is what Easegress's -1 asks for (its log tells users to set it so), so -1 and 0 (the default) are taken and a
 * positive limit is refused rather than ignored.
 */
final class ServerBodyLimit {

    private ServerBodyLimit() {
    }

    static void decode(SpecObject o) {
        if (o.longValue("serverMaxBodySize", -1, -1, Long.MAX_VALUE) > 0) {
            o.error("serverMaxBodySize", "responses stream without a size limit; only -1 (no limit, as Easegress's -1) is supported");
        }
    }
}
