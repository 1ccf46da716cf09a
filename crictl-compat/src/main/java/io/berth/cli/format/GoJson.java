package io.berth.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a JSON tree the way crictl's Go code does, in one of its two dialects:
 *
 * <ul>
 *   <li>{@link Dialect#PROTOJSON}: {@code protojson.MarshalOptions{Indent: "  "}} output of a proto
 *       message ({@code -o json} of {@code images}, {@code pods}, {@code ps}, {@code stats}); keys stay
 *       in proto field order and only control characters, quote and backslash are escaped.</li>
 *   <li>{@link Dialect#ENCODING_JSON}: {@code json.Marshal} of a {@code map[string]any} then
 *       {@code json.Indent} ({@code info}, {@code inspect*}, {@code imagefsinfo}); keys are sorted,
 *       every number went through float64, and {@code <}, {@code >}, {@code &} are escaped.</li>
 * </ul>
 */
public final class GoJson {
    public enum Dialect { PROTOJSON, ENCODING_JSON }

    private final Dialect dialect;

    private GoJson(Dialect dialect) {
        this.dialect = dialect;
    }

    public static String protojson(JsonNode node) {
        return new GoJson(Dialect.PROTOJSON).write(node, "  ");
    }

    public static String encodingJson(JsonNode node) {
        return new GoJson(Dialect.ENCODING_JSON).write(node, "  ");
    }

    /** Compact {@code json.Marshal} form (what crictl's go-template {@code json} function prints). */
    public static String encodingJsonCompact(JsonNode node) {
        return new GoJson(Dialect.ENCODING_JSON).write(node, null);
    }

    private String write(JsonNode node, String indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, indent, 0);
        return sb.toString();
    }

    private void write(StringBuilder sb, JsonNode node, String indent, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            node.fields().forEachRemaining(entries::add);
            if (dialect == Dialect.ENCODING_JSON) {
                entries.sort((a, b) -> GoStrings.compare(a.getKey(), b.getKey()));
            }
            if (entries.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline(sb, indent, depth + 1);
                appendString(sb, entries.get(i).getKey());
                sb.append(indent == null ? ":" : ": ");
                write(sb, entries.get(i).getValue(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            Iterator<JsonNode> it = node.elements();
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                write(sb, it.next(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else if (node.isTextual()) {
            appendString(sb, node.textValue());
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue());
        } else if (node.isNumber()) {
            if (dialect == Dialect.ENCODING_JSON || node.isFloatingPointNumber()) {
                // encoding/json decoded every number into float64 before printing it again
                sb.append(GoFloat.formatJson(node.doubleValue()));
            } else {
                sb.append(node.asText());
            }
        } else {
            appendString(sb, node.asText());
        }
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent == null) {
            return;
        }
        sb.append('\n');
        sb.append(indent.repeat(depth));
    }

    private void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        hexEscape(sb, c);
                    } else if (dialect == Dialect.ENCODING_JSON
                            && (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')) {
                        hexEscape(sb, c);
                    } else if (Character.isSurrogate(c) && !isValidSurrogatePair(s, i)) {
                        // Go replaces invalid UTF-8 with U+FFFD; a lone surrogate is Java's equivalent.
                        sb.append(dialect == Dialect.ENCODING_JSON ? "\\ufffd" : "\ufffd");
                    } else {
                        sb.append(c);
                        if (Character.isHighSurrogate(c)) {
                            sb.append(s.charAt(++i));
                        }
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isValidSurrogatePair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static void hexEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String hex = Integer.toHexString(c);
        sb.append("0".repeat(4 - hex.length())).append(hex);
    }
}
