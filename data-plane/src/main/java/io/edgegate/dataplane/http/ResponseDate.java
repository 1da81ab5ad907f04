package io.edgegate.dataplane.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Date;
import java.util.function.LongSupplier;

/**
 * The {@code Date} header of answers that come without one (RFC 9110 §6.6.1: an origin server with a clock sends
 * it, and a proxy adds it to a response it forwards without one), as NGINX and Go's server add it. The text of the
 * current second is made once and shared by every connection of a listener: a race only formats it twice.
 */
public final class ResponseDate {

    private record Stamp(long second, AsciiString text) {
    }

    private final LongSupplier epochMillis;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, AsciiString.EMPTY_STRING);

    public ResponseDate(LongSupplier epochMillis) {
        this.epochMillis = epochMillis;
    }

    public ResponseDate() {
        this(System::currentTimeMillis);
    }

    /** Sets {@code Date} to now unless the answer has one (an upstream's own is kept). */
    public void addIfMissing(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, now());
        }
    }

    /** IMF-fixdate of the current second: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public AsciiString now() {
        long millis = epochMillis.getAsLong();
        long second = Math.floorDiv(millis, 1000);
        Stamp current = stamp;
        if (current.second() != second) {
            current = new Stamp(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000))));
            stamp = current;
        }
        return current.text();
    }
}
