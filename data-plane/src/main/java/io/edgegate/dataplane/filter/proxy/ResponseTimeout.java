package io.edgegate.dataplane.filter.proxy;

/** The upstream's answer did not come before the deadline: the client gets 504. */
final class ResponseTimeout extends RuntimeException {

    ResponseTimeout() {
        super("upstream response timeout", null, false, false);
    }
}
