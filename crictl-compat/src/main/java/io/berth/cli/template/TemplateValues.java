package io.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.GoFloat;
import io.berth.cli.format.GoStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a template sees, with Go's types: JSON objects and arrays stay {@link JsonNode}s (Go's
 * {@code map[string]interface{}} and {@code []interface{}}), strings are {@link String}, JSON numbers
 * are {@link JsonNumber} (crictl decodes with {@code UseNumber}, so they are {@code json.Number}, a
 * string type), literals are {@link Long}/{@link Double}/{@link Boolean}, and nil is {@code null}.
 */
final class TemplateValues {
    /** Go's {@code json.Number}. */
    record JsonNumber(String text) {
    }

    private TemplateValues() {
    }

    static Object of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return new JsonNumber(node.isIntegralNumber() ? node.asText() : GoFloat.formatJson(node.doubleValue()));
        }
        return node; // object or array
    }

    static String typeName(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof JsonNode n) {
            return n.isObject() ? "map[string]interface {}" : "[]interface {}";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof JsonNumber) {
            return "json.Number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Long) {
            return "int";
        }
        if (v instanceof Double) {
            return "float64";
        }
        return v.getClass().getSimpleName();
    }

    /** text/template's truth: false, 0, nil and empty strings, lists and maps are false. */
    static boolean truth(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof JsonNumber n) {
            return !n.text().isEmpty();
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof JsonNode n) {
            return !n.isEmpty();
        }
        return true;
    }

    /** {@code fmt.Sprint(v)} of a single value; a top-level nil prints as text/template's "<no value>". */
    static String print(Object v, boolean topLevel) {
        if (v == null) {
            return topLevel ? "<no value>" : "<nil>";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof JsonNumber n) {
            return n.text();
        }
        if (v instanceof Double d) {
            return GoFloat.formatShortestG(d);
        }
        if (v instanceof JsonNode n) {
            StringBuilder sb = new StringBuilder();
            if (n.isObject()) {
                sb.append("map[");
                boolean first = true;
                for (String key : sortedKeys(n)) {
                    if (!first) {
                        sb.append(' ');
                    }
                    first = false;
                    sb.append(key).append(':').append(print(of(n.get(key)), false));
                }
                return sb.append(']').toString();
            }
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(print(of(n.get(i)), false));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        keys.sort(GoStrings::compare);
        return keys;
    }

    static boolean isStringKind(Object v) {
        return v instanceof String || v instanceof JsonNumber;
    }

    static String stringOf(Object v) {
        return v instanceof JsonNumber n ? n.text() : (String) v;
    }
}
