package io.berth.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's float formatting ({@code strconv.FormatFloat} / {@code fmt}) for the three uses crictl's output
 * depends on: {@code %.Ng} (sizes), shortest {@code 'g'} (YAML floats) and encoding/json's number form.
 */
public final class GoFloat {
    private GoFloat() {
    }

    /** Decimal digits (no leading/trailing zeros) and the decimal point position, as Go's {@code decimal}. */
    private record Digits(String digits, int dp, boolean negative) {
        static Digits of(BigDecimal value) {
            boolean negative = value.signum() < 0;
            BigDecimal abs = value.abs();
            if (abs.signum() == 0) {
                return new Digits("", 0, negative);
            }
            BigDecimal stripped = abs.stripTrailingZeros();
            String unscaled = stripped.unscaledValue().toString();
            int dp = unscaled.length() - stripped.scale();
            return new Digits(unscaled, dp, negative);
        }
    }

    /** {@code fmt.Sprintf("%.*g", precision, value)}. */
    public static String formatG(double value, int precision) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value);
        }
        if (precision == 0) {
            precision = 1;
        }
        BigDecimal exact = new BigDecimal(value);
        Digits d = Digits.of(exact.signum() == 0 ? exact
                : exact.round(new MathContext(precision, RoundingMode.HALF_EVEN)));
        d = new Digits(d.digits(), d.digits().isEmpty() ? 0 : d.dp(), value < 0 || isNegativeZero(value));
        int eprec = precision;
        if (eprec > d.digits().length() && d.digits().length() >= d.dp()) {
            eprec = d.digits().length();
        }
        return formatGWith(d, precision, eprec);
    }

    /** {@code strconv.FormatFloat(value, 'g', -1, 64)}: shortest digits, %e when exp < -4 || exp >= 21. */
    public static String formatShortestG(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value);
        }
        Digits d = shortest(value);
        // Go: "if precision was the shortest possible, use precision 6 for this decision".
        return formatGWith(d, d.digits().length(), 6);
    }

    /** The number form of Go's encoding/json (and protojson) for a float64. */
    public static String formatJson(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return special(value);
        }
        double abs = Math.abs(value);
        Digits d = shortest(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String e = formatE(d, Math.max(d.digits().length() - 1, 0));
            // Go's json cleans e-07 to e-7 (and e+07 stays as is only for positive? no: only e-0X).
            int n = e.length();
            if (n >= 4 && e.charAt(n - 4) == 'e' && e.charAt(n - 3) == '-' && e.charAt(n - 2) == '0') {
                e = e.substring(0, n - 2) + e.charAt(n - 1);
            }
            return e;
        }
        return formatF(d, Math.max(d.digits().length() - d.dp(), 0));
    }

    private static String formatGWith(Digits d, int prec, int eprec) {
        int nd = d.digits().length();
        int exp = d.dp() - 1;
        if (exp < -4 || exp >= eprec) {
            if (prec > nd) {
                prec = nd;
            }
            return formatE(d, Math.max(prec - 1, 0));
        }
        if (prec > d.dp()) {
            prec = nd;
        }
        return formatF(d, Math.max(prec - d.dp(), 0));
    }

    private static String formatE(Digits d, int fractionDigits) {
        StringBuilder sb = new StringBuilder();
        if (d.negative()) {
            sb.append('-');
        }
        String digits = d.digits();
        sb.append(digits.isEmpty() ? '0' : digits.charAt(0));
        if (fractionDigits > 0) {
            sb.append('.');
            for (int i = 1; i <= fractionDigits; i++) {
                sb.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        }
        int exp = digits.isEmpty() ? 0 : d.dp() - 1;
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
            sb.append('0');
        }
        sb.append(a);
        return sb.toString();
    }

    private static String formatF(Digits d, int fractionDigits) {
        StringBuilder sb = new StringBuilder();
        if (d.negative()) {
            sb.append('-');
        }
        String digits = d.digits();
        int dp = d.dp();
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                sb.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        } else {
            sb.append('0');
        }
        if (fractionDigits > 0) {
            sb.append('.');
            for (int i = 0; i < fractionDigits; i++) {
                int j = dp + i;
                sb.append(j >= 0 && j < digits.length() ? digits.charAt(j) : '0');
            }
        }
        return sb.toString();
    }

    private static Digits shortest(double value) {
        if (value == 0) {
            return new Digits("", 0, isNegativeZero(value));
        }
        // Double.toString yields digits that round-trip; strip them to the shortest such form.
        return Digits.of(new BigDecimal(Double.toString(value)));
    }

    private static boolean isNegativeZero(double v) {
        return v == 0 && Double.doubleToRawLongBits(v) != 0;
    }

    private static String special(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v > 0 ? "+Inf" : "-Inf";
    }
}
