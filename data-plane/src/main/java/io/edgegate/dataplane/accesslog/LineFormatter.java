package io.edgegate.dataplane.accesslog;

/** Makes the lines of one event loop (or of one caller): it may keep what lines share, so it is never shared between threads. */
interface LineFormatter {

    /** Appends {@code record}'s line (without its newline) to {@code out}, as UTF-8. */
    void append(LineBuffer out, AccessRecord record);
}
