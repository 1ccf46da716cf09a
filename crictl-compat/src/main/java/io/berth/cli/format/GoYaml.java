package io.berth.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * YAML exactly as crictl prints it: {@code sigs.k8s.io/yaml.JSONToYAML}, i.e. go-yaml v2 unmarshals the
 * JSON and marshals it again. That fixes the details operators see: keys sorted in go-yaml's "natural"
 * order, block sequences not indented under their key, strings that would read back as something else
 * ({@code "123"}, {@code "true"}, timestamps, {@code ""}) double-quoted, strings that cannot be plain
 * single-quoted, multi-line strings as literal blocks, and long scalars folded at column 80.
 *
 * <p>This is a port of the parts of libyaml's emitter (go-yaml's {@code emitterc.go}) that block-style
 * output of JSON data reaches.
 */
public final class GoYaml {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;

    private enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL }

    private final boolean numbersAsFloat64;
    private final StringBuilder out = new StringBuilder();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int indent = -1;
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;
    private int flowLevel;
    private boolean simpleKeyContext;
    private boolean mappingContext;

    private GoYaml(boolean numbersAsFloat64) {
        this.numbersAsFloat64 = numbersAsFloat64;
    }

    /** YAML of a protojson document (proto message printed by {@code -o yaml}). */
    public static String fromProtojson(JsonNode node) {
        return new GoYaml(false).document(node);
    }

    /** YAML of an encoding/json document (numbers went through float64), as {@code info -o yaml}. */
    public static String fromEncodingJson(JsonNode node) {
        return new GoYaml(true).document(node);
    }

    private String document(JsonNode node) {
        emitNode(node, false, false);
        // DOCUMENT-END: go-yaml writes an indent, which ends the last line unless a block scalar
        // already did.
        writeIndent();
        return out.toString();
    }

    // ---- nodes -------------------------------------------------------------------------------

    private void emitNode(JsonNode node, boolean mapping, boolean simpleKey) {
        this.mappingContext = mapping;
        this.simpleKeyContext = simpleKey;
        if (node.isObject()) {
            if (node.isEmpty()) {
                emitEmptyFlow("{", "}");
            } else {
                emitBlockMapping(node);
            }
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                emitEmptyFlow("[", "]");
            } else {
                emitBlockSequence(node);
            }
        } else {
            Scalar s = scalarOf(node);
            emitScalar(s.value(), s.style());
        }
    }

    private void emitEmptyFlow(String open, String close) {
        writeIndicator(open, true, true, false);
        increaseIndent(true, false);
        flowLevel++;
        flowLevel--;
        indent = indents.pop();
        writeIndicator(close, false, false, false);
    }

    private void emitBlockSequence(JsonNode node) {
        increaseIndent(false, mappingContext && !indention);
        for (JsonNode item : node) {
            writeIndent();
            writeIndicator("-", true, false, true);
            emitNode(item, false, false);
        }
        indent = indents.pop();
    }

    private void emitBlockMapping(JsonNode node) {
        increaseIndent(false, false);
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        entries.sort((a, b) -> YamlKeyOrder.compare(a.getKey(), b.getKey()));
        for (Map.Entry<String, JsonNode> e : entries) {
            writeIndent();
            Scalar key = stringScalar(e.getKey());
            ScalarAnalysis keyAnalysis = analyze(key.value());
            boolean simple = !keyAnalysis.multiline && key.value().length() <= 128;
            if (simple) {
                emitScalar(key.value(), key.style(), true);
                writeIndicator(":", false, false, false);
            } else {
                writeIndicator("?", true, false, true);
                mappingContext = true;
                emitScalar(key.value(), key.style(), false);
                writeIndent();
                writeIndicator(":", true, false, true);
            }
            emitNode(e.getValue(), true, false);
        }
        indent = indents.pop();
    }

    private void emitScalar(String value, Style requested) {
        emitScalar(value, requested, simpleKeyContext);
    }

    private void emitScalar(String value, Style requested, boolean simpleKey) {
        this.simpleKeyContext = simpleKey;
        ScalarAnalysis a = analyze(value);
        Style style = selectStyle(value, requested, a);
        increaseIndent(true, false);
        switch (style) {
            case PLAIN -> writePlain(value, !simpleKey);
            case SINGLE_QUOTED -> writeSingleQuoted(value, !simpleKey);
            case DOUBLE_QUOTED -> writeDoubleQuoted(value, !simpleKey);
            case LITERAL -> writeLiteral(value);
            default -> throw new IllegalStateException();
        }
        indent = indents.pop();
    }

    // ---- scalar resolution (encode.go) --------------------------------------------------------

    private record Scalar(String value, Style style) {
    }

    private Scalar scalarOf(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Scalar("null", Style.PLAIN);
        }
        if (node.isBoolean()) {
            return new Scalar(node.booleanValue() ? "true" : "false", Style.PLAIN);
        }
        if (node.isNumber()) {
            String text = numbersAsFloat64 || node.isFloatingPointNumber()
                    ? GoFloat.formatJson(node.doubleValue()) : node.asText();
            return new Scalar(yamlNumber(text), Style.PLAIN);
        }
        return stringScalar(node.asText());
    }

    /** go-yaml reads the JSON number text as int, uint or float64 and prints it back. */
    private static String yamlNumber(String jsonText) {
        if (jsonText.indexOf('.') < 0 && jsonText.indexOf('e') < 0 && jsonText.indexOf('E') < 0) {
            try {
                return Long.toString(Long.parseLong(jsonText));
            } catch (NumberFormatException tooBig) {
                try {
                    return Long.toUnsignedString(Long.parseUnsignedLong(jsonText));
                } catch (NumberFormatException evenBigger) {
                    // falls through to float64
                }
            }
        }
        return shortFloat(Double.parseDouble(jsonText));
    }

    private static String shortFloat(double d) {
        String s = GoFloat.formatShortestG(d);
        return switch (s) {
            case "+Inf" -> ".inf";
            case "-Inf" -> "-.inf";
            case "NaN" -> ".nan";
            default -> s;
        };
    }

    private static Scalar stringScalar(String s) {
        if (s.indexOf('\n') >= 0) {
            return new Scalar(s, Style.LITERAL);
        }
        boolean canUsePlain = YamlResolver.resolvesToString(s) && !YamlResolver.isBase60Float(s);
        return new Scalar(s, canUsePlain ? Style.PLAIN : Style.DOUBLE_QUOTED);
    }

    // ---- emitter (emitterc.go) ----------------------------------------------------------------

    private record ScalarAnalysis(boolean multiline, boolean blockPlainAllowed, boolean flowPlainAllowed,
                                  boolean singleQuotedAllowed, boolean blockAllowed) {
    }

    private Style selectStyle(String value, Style style, ScalarAnalysis a) {
        if (simpleKeyContext && a.multiline()) {
            style = Style.DOUBLE_QUOTED;
        }
        if (style == Style.PLAIN) {
            if ((flowLevel > 0 && !a.flowPlainAllowed()) || (flowLevel == 0 && !a.blockPlainAllowed())) {
                style = Style.SINGLE_QUOTED;
            }
            if (value.isEmpty() && (flowLevel > 0 || simpleKeyContext)) {
                style = Style.SINGLE_QUOTED;
            }
        }
        if (style == Style.SINGLE_QUOTED && !a.singleQuotedAllowed()) {
            style = Style.DOUBLE_QUOTED;
        }
        if (style == Style.LITERAL && (!a.blockAllowed() || flowLevel > 0 || simpleKeyContext)) {
            style = Style.DOUBLE_QUOTED;
        }
        return style;
    }

    private static ScalarAnalysis analyze(String value) {
        if (value.isEmpty()) {
            return new ScalarAnalysis(false, true, false, true, false);
        }
        boolean blockIndicators = false;
        boolean flowIndicators = false;
        boolean lineBreaks = false;
        boolean specialCharacters = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean previousSpace = false;
        boolean previousBreak = false;

        if (value.startsWith("---") || value.startsWith("...")) {
            blockIndicators = true;
            flowIndicators = true;
        }
        int[] cps = value.codePoints().toArray();
        boolean precededByWhitespace = true;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            boolean followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
            if (i == 0) {
                switch (c) {
                    case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> {
                        flowIndicators = true;
                        blockIndicators = true;
                    }
                    case '?', ':' -> {
                        flowIndicators = true;
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '-' -> {
                        if (followedByWhitespace) {
                            flowIndicators = true;
                            blockIndicators = true;
                        }
                    }
                    default -> {
                    }
                }
            } else {
                switch (c) {
                    case ',', '?', '[', ']', '{', '}' -> flowIndicators = true;
                    case ':' -> {
                        flowIndicators = true;
                        if (followedByWhitespace) {
                            blockIndicators = true;
                        }
                    }
                    case '#' -> {
                        if (precededByWhitespace) {
                            flowIndicators = true;
                            blockIndicators = true;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (!isPrintable(c)) {
                specialCharacters = true;
            }
            if (c == ' ') {
                if (i == 0) {
                    leadingSpace = true;
                }
                if (i == cps.length - 1) {
                    trailingSpace = true;
                }
                if (previousBreak) {
                    breakSpace = true;
                }
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(c)) {
                lineBreaks = true;
                if (i == 0) {
                    leadingBreak = true;
                }
                if (i == cps.length - 1) {
                    trailingBreak = true;
                }
                if (previousSpace) {
                    spaceBreak = true;
                }
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlank(c) || isBreak(c) || c == 0;
        }
        boolean flowPlain = true;
        boolean blockPlain = true;
        boolean singleQuoted = true;
        boolean block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
            flowPlain = false;
            blockPlain = false;
        }
        if (trailingSpace) {
            block = false;
        }
        if (breakSpace) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
        }
        if (spaceBreak || specialCharacters) {
            flowPlain = false;
            blockPlain = false;
            singleQuoted = false;
            block = false;
        }
        if (lineBreaks) {
            flowPlain = false;
            blockPlain = false;
        }
        if (flowIndicators) {
            flowPlain = false;
        }
        if (blockIndicators) {
            blockPlain = false;
        }
        return new ScalarAnalysis(lineBreaks, blockPlain, flowPlain, singleQuoted, block);
    }

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.push(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void put(char c) {
        out.append(c);
        column++;
    }

    private void putBreak() {
        out.append('\n');
        column = 0;
    }

    private void write(int cp) {
        out.appendCodePoint(cp);
        column++;
    }

    private void writeBreak(int cp) {
        if (cp == '\n') {
            putBreak();
        } else {
            out.appendCodePoint(cp);
            column = 0;
        }
    }

    private void writeIndent() {
        int ind = Math.max(indent, 0);
        if (!indention || column > ind || (column == ind && !whitespace)) {
            putBreak();
        }
        while (column < ind) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace,
                                boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        indicator.codePoints().forEach(this::write);
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void writePlain(String value, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        int[] cps = value.codePoints().toArray();
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !(i + 1 < cps.length && cps[i + 1] == ' ')) {
                    writeIndent();
                } else {
                    write(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                write(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void writeSingleQuoted(String value, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        int[] cps = value.codePoints().toArray();
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1
                        && cps[i + 1] != ' ') {
                    writeIndent();
                } else {
                    write(c);
                }
                spaces = true;
            } else if (isBreak(c)) {
                if (!breaks && c == '\n') {
                    putBreak();
                }
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (c == '\'') {
                    put('\'');
                }
                write(c);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(String value, boolean allowBreaks) {
        boolean spaces = false;
        writeIndicator("\"", true, false, false);
        int[] cps = value.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int v = cps[i];
            if (!isPrintable(v) || v == 0xFEFF || isBreak(v) || v == '"' || v == '\\') {
                put('\\');
                switch (v) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        int w;
                        if (v <= 0xFF) {
                            put('x');
                            w = 2;
                        } else if (v <= 0xFFFF) {
                            put('u');
                            w = 4;
                        } else {
                            put('U');
                            w = 8;
                        }
                        for (int k = (w - 1) * 4; k >= 0; k -= 4) {
                            int digit = (v >> k) & 0x0F;
                            put((char) (digit < 10 ? '0' + digit : 'A' + digit - 10));
                        }
                    }
                }
                spaces = false;
            } else if (v == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
                    writeIndent();
                    if (cps[i + 1] == ' ') {
                        put('\\');
                    }
                } else {
                    write(v);
                }
                spaces = true;
            } else {
                write(v);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeLiteral(String value) {
        writeIndicator("|", true, false, false);
        int[] cps = value.codePoints().toArray();
        // block scalar hints
        if (cps.length > 0 && (cps[0] == ' ' || isBreak(cps[0]))) {
            writeIndicator(Character.toString('0' + BEST_INDENT), false, false, false);
        }
        String chomp = null;
        if (cps.length == 0) {
            chomp = "-";
        } else {
            int last = cps.length - 1;
            if (!isBreak(cps[last])) {
                chomp = "-";
            } else if (last == 0) {
                chomp = "+";
            } else if (isBreak(cps[last - 1])) {
                chomp = "+";
            }
        }
        if (chomp != null) {
            writeIndicator(chomp, false, false, false);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int c : cps) {
            if (isBreak(c)) {
                writeBreak(c);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                write(c);
                indention = false;
                breaks = false;
            }
        }
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBreak(int c) {
        return c == '\r' || c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }

    /** libyaml's is_printable (go-yaml's emitter runs with unicode enabled). */
    private static boolean isPrintable(int c) {
        return c == 0x0A
                || (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }
}
