package io.berth.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.app.CliException;
import io.berth.cli.format.GoFloat;
import io.berth.cli.format.GoJson;
import io.berth.cli.format.GoYaml;
import io.berth.cli.template.GoTemplate;
import io.berth.cli.template.TemplateException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * crictl's {@code outputStatusData}: the verbose answers of {@code info}, {@code inspect},
 * {@code inspectp}, {@code inspecti} and {@code imagefsinfo}. Each status becomes one object holding
 * {@code status}, optional {@code runtimeHandlers} and the runtime's verbose {@code info} entries
 * (JSON objects decoded, other values as strings with quotes trimmed); one status prints as an object,
 * several as a list. Because crictl round-trips this through {@code map[string]any}, keys come out
 * sorted and numbers as float64.
 */
public final class StatusOutput {
    /** One status: the status document (may be null), handlers (may be null) and verbose info. */
    public record StatusData(JsonNode status, JsonNode runtimeHandlers, Map<String, String> info) {
    }

    private StatusOutput() {
    }

    /** Builds the document crictl would print; {@code null} when there is nothing to print. */
    public static JsonNode document(List<StatusData> statuses) {
        if (statuses.isEmpty()) {
            return null;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ArrayNode all = f.arrayNode();
        for (StatusData s : statuses) {
            ObjectNode o = f.objectNode();
            if (s.status() != null) {
                o.set("status", s.status());
            }
            if (s.runtimeHandlers() != null && !s.runtimeHandlers().isEmpty()) {
                o.set("runtimeHandlers", s.runtimeHandlers());
            }
            for (Map.Entry<String, String> e : new TreeMap<>(s.info() == null ? Map.<String, String>of() : s.info()).entrySet()) {
                String val = e.getValue();
                if (val.startsWith("{")) {
                    try {
                        JsonNode parsed = ProtoJson.mapper().readTree(val);
                        if (!parsed.isObject()) {
                            throw new IOException("not an object");
                        }
                        o.set(e.getKey(), parsed);
                    } catch (IOException bad) {
                        throw new CliException("unmarshal status info JSON: " + bad.getMessage());
                    }
                } else {
                    o.put(e.getKey(), trimQuotes(val));
                }
            }
            all.add(asFloat64Numbers(o));
        }
        return all.size() == 1 ? all.get(0) : all;
    }

    /** Prints in {@code format} (json, yaml or go-template) as crictl does, each followed by Println's newline. */
    public static String render(List<StatusData> statuses, String format, String template) {
        JsonNode doc = document(statuses);
        if (doc == null) {
            return "";
        }
        return switch (format) {
            case "yaml" -> GoYaml.fromEncodingJson(doc) + "\n";
            case "json" -> GoJson.encodingJson(doc) + "\n";
            case "go-template" -> executeTemplate(template, doc) + "\n";
            default -> throw new CliException("unsupported format: \"" + format + "\"");
        };
    }

    public static String executeTemplate(String template, JsonNode doc) {
        try {
            return GoTemplate.parse("tmplExecuteRawJSON", template == null ? "" : template).execute(doc);
        } catch (TemplateException e) {
            throw new CliException("execute template: " + e.getMessage());
        }
    }

    /** Go's strings.Trim(val, "\""). */
    static String trimQuotes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '"') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '"') {
            e--;
        }
        return s.substring(b, e);
    }

    /** Every number becomes what encoding/json makes of a float64 (big integers lose precision as in Go). */
    static JsonNode asFloat64Numbers(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isObject()) {
            ObjectNode copy = f.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), asFloat64Numbers(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = f.arrayNode();
            node.forEach(n -> copy.add(asFloat64Numbers(n)));
            return copy;
        }
        if (node.isNumber()) {
            String text = GoFloat.formatJson(node.doubleValue());
            if (text.indexOf('.') < 0 && text.indexOf('e') < 0) {
                return f.numberNode(new BigInteger(text));
            }
            return f.numberNode(node.doubleValue());
        }
        return node;
    }
}
