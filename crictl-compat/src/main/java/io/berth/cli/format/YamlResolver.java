package io.berth.cli.format;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * go-yaml v2's implicit tag resolution ({@code resolve.go}), used to decide whether a string can be
 * written plain: a string that would read back as a bool, null, number or timestamp gets quoted.
 */
final class YamlResolver {
    private static final Set<String> NON_STRING_WORDS = Set.of(
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
            "", "~", "null", "Null", "NULL",
            ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
            "-.inf", "-.Inf", "-.INF");
    private static final Pattern YAML_STYLE_FLOAT =
            Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern DOT_FLOAT = Pattern.compile("^\\.[0-9]+([eE][-+]?[0-9]+)?$");
    private static final Pattern GO_INT =
            Pattern.compile("^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$");
    private static final Pattern BASE60_FLOAT =
            Pattern.compile("^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$");
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private YamlResolver() {
    }

    static boolean resolvesToString(String s) {
        if (s.isEmpty()) {
            return false; // null
        }
        char c = s.charAt(0);
        // go-yaml only looks words up when the first character hints at one (so "<<" stays a string)
        boolean hinted = c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9') || "yYnNtTfFoO~".indexOf(c) >= 0;
        if (hinted && NON_STRING_WORDS.contains(s)) {
            return false;
        }
        if (c == '.') {
            return !isFiniteFloat(s, DOT_FLOAT);
        }
        if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
            if (isTimestamp(s)) {
                return false;
            }
            String plain = s.replace("_", "");
            if (isGoInt(plain)) {
                return false;
            }
            return !isFiniteFloat(plain, YAML_STYLE_FLOAT);
        }
        return true;
    }

    static boolean isBase60Float(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.indexOf(':') < 0) {
            return false;
        }
        return BASE60_FLOAT.matcher(s).matches();
    }

    private static boolean isFiniteFloat(String s, Pattern syntax) {
        if (!syntax.matcher(s).matches()) {
            return false;
        }
        try {
            return !Double.isInfinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** strconv.ParseInt(s, 0, 64) or strconv.ParseUint(s, 0, 64) succeeds. */
    private static boolean isGoInt(String s) {
        var m = GO_INT.matcher(s);
        if (!m.matches()) {
            return false;
        }
        String sign = m.group(1);
        String body = m.group(2);
        BigInteger value;
        if (body.length() > 1 && (body.charAt(1) == 'x' || body.charAt(1) == 'X')) {
            value = new BigInteger(body.substring(2), 16);
        } else if (body.length() > 1 && (body.charAt(1) == 'b' || body.charAt(1) == 'B')) {
            value = new BigInteger(body.substring(2), 2);
        } else if (body.length() > 1 && (body.charAt(1) == 'o' || body.charAt(1) == 'O')) {
            value = new BigInteger(body.substring(2), 8);
        } else if (body.length() > 1 && body.charAt(0) == '0') {
            value = new BigInteger(body.substring(1), 8);
        } else {
            value = new BigInteger(body);
        }
        if (sign.equals("-")) {
            value = value.negate();
        }
        boolean fitsInt64 = value.compareTo(INT64_MIN) >= 0 && value.compareTo(INT64_MAX) <= 0;
        boolean fitsUint64 = sign.isEmpty() && value.compareTo(UINT64_MAX) <= 0;
        return fitsInt64 || fitsUint64;
    }

    /** go-yaml's parseTimestamp: YYYY-M-D, optionally with a time (T, t or space separated). */
    static boolean isTimestamp(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i != 4 || i == s.length() || s.charAt(i) != '-') {
            return false;
        }
        return new TimestampParser(s).parse();
    }

    /** A cursor over the layouts "2006-1-2T15:4:5.999999999Z07:00", its 't' and ' ' variants, "2006-1-2". */
    private static final class TimestampParser {
        private final String s;
        private int pos;

        TimestampParser(String s) {
            this.s = s;
        }

        boolean parse() {
            int year = Integer.parseInt(s.substring(0, 4));
            pos = 5;
            int month = number();
            if (month < 1 || month > 12 || !literal('-')) {
                return false;
            }
            int day = number();
            if (day < 1 || day > daysIn(month, year)) {
                return false;
            }
            if (pos == s.length()) {
                return true;
            }
            char sep = s.charAt(pos++);
            if (sep != 'T' && sep != 't' && sep != ' ') {
                return false;
            }
            int hour = number();
            if (hour < 0 || hour > 23 || !literal(':')) {
                return false;
            }
            int minute = number();
            if (minute < 0 || minute > 59 || !literal(':')) {
                return false;
            }
            int second = number();
            if (second < 0 || second > 59) {
                return false;
            }
            if (pos + 1 < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == ',')
                    && Character.isDigit(s.charAt(pos + 1))) {
                pos++;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    pos++;
                }
            }
            if (sep == ' ') {
                return pos == s.length();
            }
            if (pos < s.length() && s.charAt(pos) == 'Z') {
                return pos + 1 == s.length();
            }
            // ±hh:mm
            if (s.length() - pos != 6) {
                return false;
            }
            char sign = s.charAt(pos);
            return (sign == '+' || sign == '-') && digits(pos + 1, 2) && s.charAt(pos + 3) == ':'
                    && digits(pos + 4, 2);
        }

        private boolean digits(int from, int n) {
            for (int k = from; k < from + n; k++) {
                if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                    return false;
                }
            }
            return true;
        }

        /** Go's getnum(value, false): one digit, or two when the second is a digit too. */
        private int number() {
            if (pos >= s.length() || !Character.isDigit(s.charAt(pos)) || s.charAt(pos) > '9') {
                return -1;
            }
            int v = s.charAt(pos++) - '0';
            if (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                v = v * 10 + (s.charAt(pos++) - '0');
            }
            return v;
        }

        private boolean literal(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private static int daysIn(int month, int year) {
            return switch (month) {
                case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
                case 4, 6, 9, 11 -> 30;
                default -> 31;
            };
        }
    }
}
