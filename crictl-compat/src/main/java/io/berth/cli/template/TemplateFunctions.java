package io.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.berth.cli.format.GoJson;
import io.berth.cli.template.TemplateValues.JsonNumber;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** text/template's builtins that berthctl supports, plus crictl's json, title, lower and upper. */
final class TemplateFunctions {
    private static final Set<String> NAMES = Set.of("and", "or", "not", "len", "index", "print", "printf",
            "println", "eq", "ne", "lt", "le", "gt", "ge", "json", "title", "lower", "upper");

    private TemplateFunctions() {
    }

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Object call(String name, List<Object> args) throws TemplateException {
        return switch (name) {
            case "not" -> {
                arity(name, args, 1);
                yield !TemplateValues.truth(args.get(0));
            }
            case "len" -> {
                arity(name, args, 1);
                yield len(args.get(0));
            }
            case "index" -> index(args);
            case "print" -> sprint(args);
            case "println" -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < args.size(); i++) {
                    if (i > 0) {
                        sb.append(' ');
                    }
                    sb.append(TemplateValues.print(args.get(i), false));
                }
                yield sb.append('\n').toString();
            }
            case "printf" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String)) {
                    throw new TemplateException("error calling printf: format must be a string");
                }
                yield GoPrintf.sprintf((String) args.get(0), args.subList(1, args.size()));
            }
            case "eq" -> {
                if (args.size() < 2) {
                    throw new TemplateException("error calling eq: missing argument for comparison");
                }
                boolean any = false;
                for (int i = 1; i < args.size(); i++) {
                    any |= compare("eq", args.get(0), args.get(i)) == 0;
                }
                yield any;
            }
            case "ne" -> {
                arity(name, args, 2);
                yield compare(name, args.get(0), args.get(1)) != 0;
            }
            case "lt" -> {
                arity(name, args, 2);
                yield ordered(name, args) < 0;
            }
            case "le" -> {
                arity(name, args, 2);
                yield ordered(name, args) <= 0;
            }
            case "gt" -> {
                arity(name, args, 2);
                yield ordered(name, args) > 0;
            }
            case "ge" -> {
                arity(name, args, 2);
                yield ordered(name, args) >= 0;
            }
            case "json" -> {
                arity(name, args, 1);
                yield GoJson.encodingJsonCompact(toJson(args.get(0))) + "\n";
            }
            case "title" -> title(stringArg(name, args));
            case "lower" -> stringArg(name, args).toLowerCase(Locale.ROOT);
            case "upper" -> stringArg(name, args).toUpperCase(Locale.ROOT);
            default -> throw new TemplateException("function \"" + name + "\" not defined");
        };
    }

    private static void arity(String name, List<Object> args, int n) throws TemplateException {
        if (args.size() != n) {
            throw new TemplateException("wrong number of args for " + name + ": want " + n + " got " + args.size());
        }
    }

    /** A function argument of the wrong Go type; Go reports it at the argument. */
    static final class ArgumentTypeException extends TemplateException {
        private static final long serialVersionUID = 1L;
        private final int index;

        ArgumentTypeException(int index, String message) {
            super(message);
            this.index = index;
        }

        int index() {
            return index;
        }
    }

    private static String stringArg(String name, List<Object> args) throws TemplateException {
        arity(name, args, 1);
        Object v = args.get(0);
        if (!(v instanceof String s)) {
            throw new ArgumentTypeException(0, "wrong type for value; expected string; got " + TemplateValues.typeName(v));
        }
        return s;
    }

    /** cases.Title(language.Und, cases.NoLower): upper-case the first letter of each word, keep the rest. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean startOfWord = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLetterOrDigit(cp) || cp == '\'' || cp == '_') {
                sb.appendCodePoint(startOfWord ? Character.toTitleCase(cp) : cp);
                startOfWord = false;
            } else {
                sb.appendCodePoint(cp);
                startOfWord = true;
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static long len(Object v) throws TemplateException {
        if (v instanceof String || v instanceof JsonNumber) {
            return TemplateValues.stringOf(v).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (v instanceof JsonNode n) {
            return n.size();
        }
        throw new TemplateException("error calling len: len of type " + TemplateValues.typeName(v));
    }

    private static Object index(List<Object> args) throws TemplateException {
        if (args.isEmpty()) {
            throw new TemplateException("wrong number of args for index: want at least 1 got 0");
        }
        Object item = args.get(0);
        for (Object key : args.subList(1, args.size())) {
            if (item instanceof JsonNode n && n.isObject()) {
                if (!(key instanceof String)) {
                    throw new TemplateException("error calling index: value has type "
                            + TemplateValues.typeName(key) + "; should be string");
                }
                item = TemplateValues.of(n.get((String) key));
            } else if (item instanceof JsonNode n && n.isArray()) {
                if (!(key instanceof Long i)) {
                    throw new TemplateException("error calling index: cannot index slice/array with type "
                            + TemplateValues.typeName(key));
                }
                if (i < 0 || i >= n.size()) {
                    throw new TemplateException("error calling index: index out of range: " + i);
                }
                item = TemplateValues.of(n.get(i.intValue()));
            } else if (item == null) {
                throw new TemplateException("error calling index: index of untyped nil");
            } else {
                throw new TemplateException("error calling index: can't index item of type "
                        + TemplateValues.typeName(item));
            }
        }
        return item;
    }

    /** fmt.Sprint: a space between operands when neither is a string. */
    private static String sprint(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            boolean isString = TemplateValues.isStringKind(args.get(i));
            if (i > 0 && !isString && !TemplateValues.isStringKind(args.get(i - 1))) {
                sb.append(' ');
            }
            sb.append(TemplateValues.print(args.get(i), false));
        }
        return sb.toString();
    }

    private enum BasicKind { BOOL, INT, FLOAT, STRING, NIL, OTHER }

    private static BasicKind kind(Object v) {
        if (v == null) {
            return BasicKind.NIL;
        }
        if (v instanceof Boolean) {
            return BasicKind.BOOL;
        }
        if (v instanceof Long) {
            return BasicKind.INT;
        }
        if (v instanceof Double) {
            return BasicKind.FLOAT;
        }
        if (TemplateValues.isStringKind(v)) {
            return BasicKind.STRING;
        }
        return BasicKind.OTHER;
    }

    private static int compare(String fn, Object a, Object b) throws TemplateException {
        BasicKind ka = kind(a);
        BasicKind kb = kind(b);
        if (ka == BasicKind.NIL || kb == BasicKind.NIL) {
            return ka == kb ? 0 : 1;
        }
        if (ka != kb) {
            if ((ka == BasicKind.INT || ka == BasicKind.FLOAT) && (kb == BasicKind.INT || kb == BasicKind.FLOAT)) {
                return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            }
            throw new TemplateException("error calling " + fn + ": incompatible types for comparison");
        }
        return switch (ka) {
            case BOOL -> Boolean.compare((Boolean) a, (Boolean) b);
            case INT -> Long.compare((Long) a, (Long) b);
            case FLOAT -> Double.compare((Double) a, (Double) b);
            case STRING -> TemplateValues.stringOf(a).compareTo(TemplateValues.stringOf(b));
            default -> {
                if (fn.equals("eq") || fn.equals("ne")) {
                    yield a.equals(b) ? 0 : 1;
                }
                throw new TemplateException("error calling " + fn + ": invalid type for comparison");
            }
        };
    }

    private static int ordered(String fn, List<Object> args) throws TemplateException {
        BasicKind k = kind(args.get(0));
        if (k == BasicKind.BOOL || k == BasicKind.OTHER || k == BasicKind.NIL) {
            throw new TemplateException("error calling " + fn + ": invalid type for comparison");
        }
        return compare(fn, args.get(0), args.get(1));
    }

    private static JsonNode toJson(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof JsonNode n) {
            return n;
        }
        if (v instanceof String s) {
            return f.textNode(s);
        }
        if (v instanceof JsonNumber n) {
            return f.numberNode(new java.math.BigDecimal(n.text()));
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        return f.textNode(String.valueOf(v));
    }
}
