package io.edgegate.dataplane.accesslog;

/**
 * UTC times as ISO 8601 with milliseconds ({@code 2026-11-30T00:58:12.345Z}). An instance keeps
 * the text of the last second it wrote: lines of one event loop mostly share their second, so a
 * line costs a copy and three digits rather than a calendar conversion. One per formatter, never
 * shared between threads.
 */
final class IsoTime {

    /** {@code 2026-11-30T00:58:12.}: the part every line of one second shares. */
    private final byte[] secondText = new byte[20];
    private long second = Long.MIN_VALUE;

    void append(LineBuffer out, long epochMillis) {
        long thisSecond = Math.floorDiv(epochMillis, 1_000L);
        if (thisSecond != second) {
            if (!fitsFourDigitYear(thisSecond)) {
                // Years before 1000 or past 9999 have another width: written in full, never cached.
                format(out, epochMillis);
                return;
            }
            LineBuffer text = new LineBuffer(32);
            format(text, thisSecond * 1_000L);
            System.arraycopy(text.bytes(), 0, secondText, 0, secondText.length);
            second = thisSecond;
        }
        out.put(secondText);
        long millis = Math.floorMod(epochMillis, 1_000L);
        out.put((char) ('0' + millis / 100)).put((char) ('0' + millis / 10 % 10)).put((char) ('0' + millis % 10)).put('Z');
    }

    /** The whole time, computed from scratch. */
    static void format(LineBuffer out, long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long millisOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        out.number(year).put('-');
        two(out, month).put('-');
        two(out, day).put('T');
        two(out, millisOfDay / 3_600_000).put(':');
        two(out, millisOfDay / 60_000 % 60).put(':');
        two(out, millisOfDay / 1_000 % 60).put('.');
        long millis = millisOfDay % 1_000;
        out.put((char) ('0' + millis / 100)).put((char) ('0' + millis / 10 % 10)).put((char) ('0' + millis % 10)).put('Z');
    }

    /** 1000-01-01T00:00:00Z to 9999-12-31T23:59:59Z, whose text is 20 bytes up to the millis. */
    private static boolean fitsFourDigitYear(long epochSecond) {
        return epochSecond >= -30_610_224_000L && epochSecond <= 253_402_300_799L;
    }

    private static LineBuffer two(LineBuffer out, long value) {
        return out.put((char) ('0' + value / 10)).put((char) ('0' + value % 10));
    }
}
