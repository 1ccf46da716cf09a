package io.berth.cli.template;

import io.berth.cli.template.TemplateNode.Action;
import io.berth.cli.template.TemplateNode.Break;
import io.berth.cli.template.TemplateNode.Chain;
import io.berth.cli.template.TemplateNode.Command;
import io.berth.cli.template.TemplateNode.Continue;
import io.berth.cli.template.TemplateNode.Field;
import io.berth.cli.template.TemplateNode.Function;
import io.berth.cli.template.TemplateNode.If;
import io.berth.cli.template.TemplateNode.Literal;
import io.berth.cli.template.TemplateNode.Operand;
import io.berth.cli.template.TemplateNode.Pipeline;
import io.berth.cli.template.TemplateNode.Range;
import io.berth.cli.template.TemplateNode.Text;
import io.berth.cli.template.TemplateNode.Variable;
import io.berth.cli.template.TemplateNode.With;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns template source into {@link TemplateNode}s: a lexer for actions plus a recursive-descent parser. */
final class TemplateParser {
    private static final Set<String> UNSUPPORTED = Set.of("define", "template", "block");

    private enum Kind { IDENT, FIELD, VARIABLE, STRING, NUMBER, LPAREN, RPAREN, PIPE, DECLARE, ASSIGN, COMMA, END }

    private record Token(Kind kind, String text, int pos, boolean spaceBefore, Object value) {
    }

    /** One {{...}} action's tokens. */
    private record ActionTokens(List<Token> tokens, int pos) {
    }

    private final String name;
    private final String src;
    private int cursor;
    /** The tokens of the action being parsed, and the position in them. */
    private List<Token> toks;
    private int tp;
    private int rangeDepth;

    TemplateParser(String name, String src) {
        this.name = name;
        this.src = src;
    }

    List<TemplateNode> parse() throws TemplateException {
        ParsedList list = parseList(false);
        if (list.terminator != null) {
            throw error(list.terminatorPos, "unexpected {{" + list.terminator + "}}");
        }
        return list.nodes;
    }

    private record ParsedList(List<TemplateNode> nodes, String terminator, int terminatorPos) {
    }

    /**
     * Reads text and actions until {{end}} or {{else ...}} (returned as the terminator, with the
     * action's remaining tokens left in {@link #toks}) or the end of the source.
     */
    private ParsedList parseList(boolean insideBlock) throws TemplateException {
        List<TemplateNode> nodes = new ArrayList<>();
        while (cursor < src.length()) {
            int open = src.indexOf("{{", cursor);
            if (open < 0) {
                nodes.add(new Text(src.substring(cursor)));
                cursor = src.length();
                break;
            }
            boolean trimLeft = src.startsWith("{{-", open)
                    && open + 3 < src.length() && isSpace(src.charAt(open + 3));
            String text = src.substring(cursor, open);
            if (trimLeft) {
                text = stripTrailing(text);
            }
            if (!text.isEmpty()) {
                nodes.add(new Text(text));
            }
            int bodyStart = open + (trimLeft ? 3 : 2);
            ActionTokens action = lexAction(bodyStart);
            toks = action.tokens();
            tp = 0;
            if (toks.isEmpty() || toks.get(0).kind() == Kind.END) {
                if (action.tokens().isEmpty()) {
                    continue; // a comment
                }
                throw error(open, "missing value for command");
            }
            Token first = toks.get(0);
            if (first.kind() == Kind.IDENT) {
                switch (first.text()) {
                    case "end", "else" -> {
                        if (!insideBlock) {
                            throw error(first.pos(), "unexpected {{" + first.text() + "}}");
                        }
                        tp = 1;
                        return new ParsedList(nodes, first.text(), first.pos());
                    }
                    case "if" -> {
                        tp = 1;
                        nodes.add(parseIf());
                        continue;
                    }
                    case "with" -> {
                        tp = 1;
                        nodes.add(parseWith());
                        continue;
                    }
                    case "range" -> {
                        tp = 1;
                        nodes.add(parseRange());
                        continue;
                    }
                    case "break", "continue" -> {
                        if (rangeDepth == 0) {
                            throw error(first.pos(), "{{" + first.text() + "}} outside {{range}}");
                        }
                        expectEnd();
                        nodes.add(first.text().equals("break") ? new Break(first.pos()) : new Continue(first.pos()));
                        continue;
                    }
                    default -> {
                        if (UNSUPPORTED.contains(first.text())) {
                            throw error(first.pos(), "{{" + first.text() + "}} is not supported by berthctl's template engine");
                        }
                    }
                }
            }
            nodes.add(new Action(parsePipeline(true)));
            expectEnd();
        }
        if (insideBlock) {
            throw error(src.length(), "unexpected EOF");
        }
        return new ParsedList(nodes, null, -1);
    }

    private If parseIf() throws TemplateException {
        Pipeline condition = parsePipeline(true);
        expectEnd();
        ParsedList then = parseList(true);
        List<TemplateNode> otherwise = parseElse(then, "if");
        return new If(condition, then.nodes(), otherwise);
    }

    private With parseWith() throws TemplateException {
        Pipeline value = parsePipeline(true);
        expectEnd();
        ParsedList body = parseList(true);
        List<TemplateNode> otherwise = parseElse(body, "with");
        return new With(value, body.nodes(), otherwise);
    }

    private Range parseRange() throws TemplateException {
        Pipeline over = parsePipeline(true);
        expectEnd();
        rangeDepth++;
        ParsedList body;
        try {
            body = parseList(true);
        } finally {
            rangeDepth--;
        }
        List<TemplateNode> otherwise = parseElse(body, "range");
        return new Range(over, body.nodes(), otherwise);
    }

    /** After a block's body: {{end}}, {{else}} ... {{end}}, or {{else if|with ...}} chains. */
    private List<TemplateNode> parseElse(ParsedList body, String keyword) throws TemplateException {
        if (body.terminator().equals("end")) {
            expectEnd();
            return List.of();
        }
        // {{else if ...}} / {{else with ...}}: the rest of the chain shares the final {{end}}
        if (tp < toks.size() && toks.get(tp).kind() == Kind.IDENT
                && (toks.get(tp).text().equals("if") || toks.get(tp).text().equals("with"))
                && !keyword.equals("range")) {
            String chained = toks.get(tp).text();
            tp++;
            return List.of(chained.equals("if") ? parseIf() : parseWith());
        }
        expectEnd();
        ParsedList otherwise = parseList(true);
        if (!otherwise.terminator().equals("end")) {
            throw error(otherwise.terminatorPos(), "expected end; found {{else}}");
        }
        expectEnd();
        return otherwise.nodes();
    }

    private void expectEnd() throws TemplateException {
        Token t = toks.get(tp);
        if (t.kind() != Kind.END) {
            throw error(t.pos(), "unexpected \"" + t.text() + "\" in command");
        }
    }

    private Pipeline parsePipeline(boolean allowDeclarations) throws TemplateException {
        int pos = toks.get(tp).pos();
        List<String> variables = new ArrayList<>();
        boolean assign = false;
        if (allowDeclarations && toks.get(tp).kind() == Kind.VARIABLE) {
            int save = tp;
            List<String> names = new ArrayList<>();
            while (tp < toks.size() && toks.get(tp).kind() == Kind.VARIABLE && toks.get(tp).text().indexOf('.') < 0) {
                names.add(toks.get(tp).text());
                tp++;
                if (toks.get(tp).kind() == Kind.COMMA) {
                    tp++;
                    continue;
                }
                break;
            }
            Kind k = toks.get(tp).kind();
            if (!names.isEmpty() && (k == Kind.DECLARE || k == Kind.ASSIGN)) {
                variables = names;
                assign = k == Kind.ASSIGN;
                tp++;
            } else {
                tp = save;
            }
        }
        List<Command> commands = new ArrayList<>();
        while (true) {
            commands.add(parseCommand());
            if (toks.get(tp).kind() == Kind.PIPE) {
                tp++;
                continue;
            }
            break;
        }
        return new Pipeline(pos, variables, assign, commands);
    }

    private Command parseCommand() throws TemplateException {
        int pos = toks.get(tp).pos();
        List<Operand> args = new ArrayList<>();
        while (true) {
            Token t = toks.get(tp);
            if (t.kind() == Kind.END || t.kind() == Kind.PIPE || t.kind() == Kind.RPAREN) {
                break;
            }
            if (!args.isEmpty() && !t.spaceBefore()) {
                throw error(t.pos(), "missing space?");
            }
            args.add(parseOperand());
        }
        if (args.isEmpty()) {
            throw error(pos, "missing value for command");
        }
        return new Command(pos, args);
    }

    private Operand parseOperand() throws TemplateException {
        Token t = toks.get(tp++);
        switch (t.kind()) {
            case FIELD: {
                // Go positions a chained field (.a.b) at its second segment
                List<String> fields = splitFields(t.text().substring(1));
                int pos = fields.size() > 1 ? t.pos() + 1 + fields.get(0).length() : t.pos();
                return new Field(pos, fields, t.text());
            }
            case VARIABLE: {
                String text = t.text();
                int dot = text.indexOf('.');
                String var = dot < 0 ? text : text.substring(0, dot);
                List<String> fields = dot < 0 ? List.of() : splitFields(text.substring(dot + 1));
                return new Variable(dot < 0 ? t.pos() : t.pos() + dot, var, fields, text);
            }
            case STRING:
            case NUMBER:
                return new Literal(t.pos(), t.value(), t.text());
            case IDENT:
                return switch (t.text()) {
                    case "true" -> new Literal(t.pos(), Boolean.TRUE, "true");
                    case "false" -> new Literal(t.pos(), Boolean.FALSE, "false");
                    case "nil" -> new Literal(t.pos(), null, "nil");
                    default -> {
                        if (!TemplateFunctions.exists(t.text())) {
                            throw error(t.pos(), "function \"" + t.text() + "\" not defined");
                        }
                        yield new Function(t.pos(), t.text());
                    }
                };
            case LPAREN: {
                Pipeline inner = parsePipeline(false);
                Token close = toks.get(tp);
                if (close.kind() != Kind.RPAREN) {
                    throw error(close.pos(), "unclosed left paren");
                }
                tp++;
                List<String> fields = List.of();
                String text = src.substring(t.pos(), close.pos() + 1);
                int pos = t.pos();
                Token next = toks.get(tp);
                if (next.kind() == Kind.FIELD && !next.spaceBefore()) {
                    fields = splitFields(next.text().substring(1));
                    text = text + next.text();
                    pos = next.pos();
                    tp++;
                }
                return new Chain(pos, inner, fields, text);
            }
            default:
                throw error(t.pos(), "unexpected \"" + t.text() + "\" in operand");
        }
    }

    private static List<String> splitFields(String path) {
        if (path.isEmpty()) {
            return List.of();
        }
        return List.of(path.split("\\."));
    }

    // ---- lexer --------------------------------------------------------------------------------

    private ActionTokens lexAction(int start) throws TemplateException {
        int i = start;
        // comment: {{/* ... */}}
        int j = skipSpaces(i);
        if (src.startsWith("/*", j)) {
            int close = src.indexOf("*/", j + 2);
            if (close < 0) {
                throw error(j, "unclosed comment");
            }
            int after = close + 2;
            int k = skipSpaces(after);
            boolean trimRight = src.startsWith("-}}", k) && k > after;
            if (trimRight) {
                cursor = trimLeading(k + 3);
            } else if (src.startsWith("}}", after)) {
                cursor = after + 2;
            } else {
                throw error(close, "comment ends before closing delimiter");
            }
            return new ActionTokens(List.of(), start);
        }
        List<Token> tokens = new ArrayList<>();
        boolean space = true;
        while (true) {
            if (i >= src.length()) {
                throw error(start, "unclosed action");
            }
            char c = src.charAt(i);
            if (c == '\n' || c == '\r') {
                throw error(i, "unclosed action");
            }
            if (isSpace(c)) {
                if (src.startsWith("-}}", i + 1)) {
                    tokens.add(new Token(Kind.END, "}}", i, true, null));
                    cursor = trimLeading(i + 4);
                    return new ActionTokens(tokens, start);
                }
                i++;
                space = true;
                continue;
            }
            if (src.startsWith("}}", i)) {
                tokens.add(new Token(Kind.END, "}}", i, space, null));
                cursor = i + 2;
                return new ActionTokens(tokens, start);
            }
            int tokStart = i;
            Token tok;
            if (c == '(') {
                tok = new Token(Kind.LPAREN, "(", i++, space, null);
            } else if (c == ')') {
                tok = new Token(Kind.RPAREN, ")", i++, space, null);
            } else if (c == '|') {
                tok = new Token(Kind.PIPE, "|", i++, space, null);
            } else if (c == ',') {
                tok = new Token(Kind.COMMA, ",", i++, space, null);
            } else if (c == ':' && i + 1 < src.length() && src.charAt(i + 1) == '=') {
                tok = new Token(Kind.DECLARE, ":=", i, space, null);
                i += 2;
            } else if (c == '=') {
                tok = new Token(Kind.ASSIGN, "=", i++, space, null);
            } else if (c == '"') {
                i = i + 1;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (i >= src.length() || src.charAt(i) == '\n') {
                        throw error(tokStart, "unterminated quoted string");
                    }
                    char d = src.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < src.length()) {
                        i = unescape(sb, i + 1, tokStart);
                        continue;
                    }
                    sb.append(d);
                    i++;
                }
                tok = new Token(Kind.STRING, src.substring(tokStart, i), tokStart, space, sb.toString());
            } else if (c == '`') {
                int close = src.indexOf('`', i + 1);
                if (close < 0) {
                    throw error(i, "unterminated raw quoted string");
                }
                String v = src.substring(i + 1, close);
                i = close + 1;
                tok = new Token(Kind.STRING, src.substring(tokStart, i), tokStart, space, v);
            } else if (c == '.' && (i + 1 >= src.length() || !Character.isDigit(src.charAt(i + 1)))) {
                i = scanPath(i);
                tok = new Token(Kind.FIELD, src.substring(tokStart, i), tokStart, space, null);
            } else if (c == '$') {
                i++;
                while (i < src.length() && isIdentChar(src.charAt(i))) {
                    i++;
                }
                if (i < src.length() && src.charAt(i) == '.') {
                    i = scanPath(i);
                }
                tok = new Token(Kind.VARIABLE, src.substring(tokStart, i), tokStart, space, null);
            } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < src.length()
                    && (Character.isDigit(src.charAt(i + 1)) || src.charAt(i + 1) == '.'))) {
                i++;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '.'
                        || src.charAt(i) == '_'
                        || ((src.charAt(i) == '-' || src.charAt(i) == '+')
                            && (src.charAt(i - 1) == 'e' || src.charAt(i - 1) == 'E')))) {
                    i++;
                }
                String text = src.substring(tokStart, i);
                tok = new Token(Kind.NUMBER, text, tokStart, space, parseNumber(text, tokStart));
            } else if (isIdentChar(c)) {
                while (i < src.length() && isIdentChar(src.charAt(i))) {
                    i++;
                }
                tok = new Token(Kind.IDENT, src.substring(tokStart, i), tokStart, space, null);
            } else {
                throw error(i, "unexpected \"" + c + "\" in command");
            }
            tokens.add(tok);
            space = false;
        }
    }

    private int scanPath(int i) {
        // . followed by identifier characters, repeated: .a.b.c  (a lone '.' is the dot)
        i++;
        while (i < src.length() && isIdentChar(src.charAt(i))) {
            i++;
            if (i < src.length() && src.charAt(i) == '.' && i + 1 < src.length() && isIdentChar(src.charAt(i + 1))) {
                i++;
            }
        }
        return i;
    }

    private int unescape(StringBuilder sb, int i, int tokStart) throws TemplateException {
        char e = src.charAt(i);
        switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            case '\'' -> sb.append('\'');
            case 'a' -> sb.append('\u0007');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'v' -> sb.append('\u000b');
            case 'x', 'u', 'U' -> {
                int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (i + 1 + n > src.length()) {
                    throw error(tokStart, "invalid escape in quoted string");
                }
                try {
                    sb.appendCodePoint(Integer.parseInt(src.substring(i + 1, i + 1 + n), 16));
                } catch (RuntimeException bad) {
                    throw error(tokStart, "invalid syntax in quoted string");
                }
                return i + 1 + n;
            }
            default -> throw error(tokStart, "invalid syntax in quoted string");
        }
        return i + 1;
    }

    private Object parseNumber(String text, int pos) throws TemplateException {
        String t = text.replace("_", "");
        try {
            if (t.matches("[+-]?0[xX][0-9a-fA-F]+")) {
                return Long.parseLong(t.replaceFirst("0[xX]", ""), 16) * (t.startsWith("-") ? -1 : 1);
            }
            if (t.matches("[+-]?[0-9]+")) {
                return Long.parseLong(t);
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw error(pos, "bad number syntax: \"" + text + "\"");
        }
    }

    private int skipSpaces(int i) {
        while (i < src.length() && isSpace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private int trimLeading(int i) {
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isIdentChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private TemplateException error(int pos, String message) {
        int line = 1;
        for (int k = 0; k < Math.min(pos, src.length()); k++) {
            if (src.charAt(k) == '\n') {
                line++;
            }
        }
        return new TemplateException("template: " + name + ":" + line + ": " + message);
    }
}
