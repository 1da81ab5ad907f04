package io.edgegate.dataplane.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The user name of an {@code Authorization: Basic} header, as Go's Request.BasicAuth reads it. */
public final class BasicAuthorization {

    private BasicAuthorization() {
    }

    /** The user name, or empty when the header is absent, not Basic, or malformed. */
    public static String username(String authorization) {
        if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "" : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
