package io.berth.cli.format;

/** String helpers with Go's semantics where they differ from Java's. */
public final class GoStrings {
    private GoStrings() {
    }

    /**
     * Go compares strings byte-wise in UTF-8, which is code point order; Java's {@code compareTo}
     * compares UTF-16 units and orders supplementary characters differently.
     */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** crictl's {@code getTruncatedID}: strip a prefix, keep at most 13 characters. */
    public static String truncateId(String id, String prefix) {
        if (!prefix.isEmpty() && id.startsWith(prefix)) {
            id = id.substring(prefix.length());
        }
        return id.length() > 13 ? id.substring(0, 13) : id;
    }
}
