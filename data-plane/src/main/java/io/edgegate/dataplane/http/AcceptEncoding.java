package io.edgegate.dataplane.http;

import java.util.Locale;

/** Whether an {@code Accept-Encoding} header accepts a coding (RFC 9110 §12.5.3): named with q > 0, or not named and {@code *} accepted. */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    public static boolean accepts(String header, String coding) {
        if (header == null || header.isBlank()) {
            return false;
        }
        Boolean named = null;
        boolean any = false;
        for (String entry : header.split(",")) {
            String[] parts = entry.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean accepted = true;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        accepted = Double.parseDouble(parameter.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        accepted = false;
                    }
                }
            }
            if (name.equals(coding) || coding.equals("gzip") && name.equals("x-gzip")) {
                named = named == null ? accepted : named || accepted;
            } else if (name.equals("*")) {
                any = accepted;
            }
        }
        return named != null ? named : any;
    }
}
