package io.edgegate.dataplane.filter.staticfile;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/** HTTP's conditional-request rules (RFC 9110 section 13) for a file with an ETag and a modification time. */
public final class Validators {

    private Validators() {
    }

    /** Whether the client's copy is current: If-None-Match decides when present, else If-Modified-Since. */
    public static boolean notModified(HttpHeaders request, String etag, long modifiedMillis) {
        String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return matchesAny(ifNoneMatch, etag, true);
        }
        Date since = date(request.get(HttpHeaderNames.IF_MODIFIED_SINCE));
        return since != null && modifiedMillis / 1000 <= since.getTime() / 1000;
    }

    /** Whether a Range header may be honoured: without If-Range, or when If-Range names the current file. */
    public static boolean rangeApplies(HttpHeaders request, String etag, long modifiedMillis) {
        String ifRange = request.get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return matchesAny(ifRange, etag, false);
        }
        Date date = date(ifRange);
        return date != null && date.getTime() / 1000 == modifiedMillis / 1000;
    }

    private static boolean matchesAny(String list, String etag, boolean weak) {
        for (String candidate : list.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                if (!weak) {
                    continue;
                }
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Date date(String value) {
        return value == null ? null : DateFormatter.parseHttpDate(value);
    }
}
