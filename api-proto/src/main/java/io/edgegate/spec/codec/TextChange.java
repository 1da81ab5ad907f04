package io.edgegate.spec.codec;

/**
 * How a new version of a text differs from the old one: the chars both start and end with,
 * and the new text between them. A route changed in a server of megabytes is a change of a
 * few dozen chars: a control plane sends it so, and a node finds in it which rules and paths
 * to decode again. Counts are of UTF-16 code units and never split a surrogate pair, so the
 * middle is always a well-formed string.
 *
 * @param keepPrefix the chars at the start both versions share
 * @param keepSuffix the chars at the end both versions share, not overlapping the prefix
 * @param middle     the new text between them
 * @param length     the new text's length
 */
public record TextChange(int keepPrefix, int keepSuffix, String middle, int length) {

    /** Compared a block at a time: String.equals is an intrinsic, so megabytes take well under a millisecond even cold. */
    private static final int BLOCK = 8192;

    public TextChange {
        if (keepPrefix < 0 || keepSuffix < 0 || keepPrefix + keepSuffix + middle.length() != length) {
            throw new IllegalArgumentException("inconsistent text change: " + keepPrefix + " + " + middle.length() + " + "
                    + keepSuffix + " != " + length);
        }
    }

    public static TextChange between(String before, String after) {
        int prefix = commonPrefix(before, after);
        int suffix = commonSuffix(before, after, Math.min(before.length(), after.length()) - prefix);
        if (prefix > 0 && Character.isHighSurrogate(before.charAt(prefix - 1))) {
            prefix--;
        }
        if (suffix > 0 && Character.isLowSurrogate(before.charAt(before.length() - suffix))) {
            suffix--;
        }
        return new TextChange(prefix, suffix, after.substring(prefix, after.length() - suffix), after.length());
    }

    /** Where the changed text of the old version ends (it starts at {@link #keepPrefix}). */
    public int changedEnd(String before) {
        return before.length() - keepSuffix;
    }

    /** The new text, from the old one; an IllegalArgumentException when {@code before} cannot be the text this change was made from. */
    public String applyTo(String before) {
        if (keepPrefix + keepSuffix > before.length()) {
            throw new IllegalArgumentException("the text is " + before.length() + " chars, the change keeps " + (keepPrefix + keepSuffix));
        }
        return before.substring(0, keepPrefix) + middle + before.substring(before.length() - keepSuffix);
    }

    private static int commonPrefix(String a, String b) {
        int limit = Math.min(a.length(), b.length());
        int matched = 0;
        while (matched + BLOCK <= limit && a.substring(matched, matched + BLOCK).equals(b.substring(matched, matched + BLOCK))) {
            matched += BLOCK;
        }
        while (matched < limit && a.charAt(matched) == b.charAt(matched)) {
            matched++;
        }
        return matched;
    }

    private static int commonSuffix(String a, String b, int limit) {
        int matched = 0;
        while (matched + BLOCK <= limit && a.substring(a.length() - matched - BLOCK, a.length() - matched)
                .equals(b.substring(b.length() - matched - BLOCK, b.length() - matched))) {
            matched += BLOCK;
        }
        while (matched < limit && a.charAt(a.length() - 1 - matched) == b.charAt(b.length() - 1 - matched)) {
            matched++;
        }
        return matched;
    }
}
