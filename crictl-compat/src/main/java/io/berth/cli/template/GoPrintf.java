package io.berth.cli.template;

import io.berth.cli.format.GoFloat;
import io.berth.cli.template.TemplateValues.JsonNumber;
import java.util.List;

/** The common verbs of Go's fmt.Sprintf for template {@code printf}: %s %v %d %q %t %f %x %%. */
final class GoPrintf {
    private GoPrintf() {
    }

    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            boolean minus = false;
            boolean zero = false;
            boolean plus = false;
            while (j < format.length() && "-+0 #".indexOf(format.charAt(j)) >= 0) {
                minus |= format.charAt(j) == '-';
                zero |= format.charAt(j) == '0';
                plus |= format.charAt(j) == '+';
                j++;
            }
            int width = -1;
            while (j < format.length() && Character.isDigit(format.charAt(j))) {
                width = Math.max(width, 0) * 10 + (format.charAt(j++) - '0');
            }
            int precision = -1;
            if (j < format.length() && format.charAt(j) == '.') {
                j++;
                precision = 0;
                while (j < format.length() && Character.isDigit(format.charAt(j))) {
                    precision = precision * 10 + (format.charAt(j++) - '0');
                }
            }
            if (j >= format.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(j);
            i = j;
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            Object arg = args.get(argIndex++);
            String s = formatOne(verb, arg, precision, plus);
            if (width > s.length()) {
                String pad = (zero && !minus && verb != 's' && verb != 'q' && verb != 'v' ? "0" : " ")
                        .repeat(width - s.length());
                s = minus ? s + pad : (pad.startsWith("0") && s.startsWith("-") ? "-" + pad + s.substring(1) : pad + s);
            }
            out.append(s);
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argIndex; k < args.size(); k++) {
                if (k > argIndex) {
                    out.append(", ");
                }
                out.append(TemplateValues.typeName(args.get(k))).append('=')
                        .append(TemplateValues.print(args.get(k), false));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String formatOne(char verb, Object arg, int precision, boolean plus) {
        switch (verb) {
            case 'v':
                return TemplateValues.print(arg, false);
            case 's':
                if (arg instanceof String || arg instanceof JsonNumber) {
                    String s = TemplateValues.stringOf(arg);
                    return precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
                }
                return bad(verb, arg);
            case 'q':
                if (arg instanceof String || arg instanceof JsonNumber) {
                    return quote(TemplateValues.stringOf(arg));
                }
                return bad(verb, arg);
            case 'd':
                if (arg instanceof Long l) {
                    return (plus && l >= 0 ? "+" : "") + l;
                }
                return bad(verb, arg);
            case 'x':
                if (arg instanceof Long l) {
                    return Long.toHexString(l);
                }
                if (arg instanceof String s) {
                    StringBuilder sb = new StringBuilder();
                    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        sb.append(String.format("%02x", b & 0xff));
                    }
                    return sb.toString();
                }
                return bad(verb, arg);
            case 't':
                if (arg instanceof Boolean b) {
                    return b.toString();
                }
                return bad(verb, arg);
            case 'f':
                if (arg instanceof Double || arg instanceof Long) {
                    double d = ((Number) arg).doubleValue();
                    return new java.math.BigDecimal(d)
                            .setScale(precision < 0 ? 6 : precision, java.math.RoundingMode.HALF_EVEN).toPlainString();
                }
                return bad(verb, arg);
            case 'g':
                if (arg instanceof Double || arg instanceof Long) {
                    double d = ((Number) arg).doubleValue();
                    return precision < 0 ? GoFloat.formatShortestG(d) : GoFloat.formatG(d, precision);
                }
                return bad(verb, arg);
            default:
                return bad(verb, arg);
        }
    }

    private static String bad(char verb, Object arg) {
        return "%!" + verb + "(" + TemplateValues.typeName(arg) + "=" + TemplateValues.print(arg, false) + ")";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
