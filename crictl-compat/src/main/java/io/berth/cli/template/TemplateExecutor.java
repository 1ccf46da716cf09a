package io.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Walks the parse tree over the data, with text/template's scoping and missingkey=error. */
final class TemplateExecutor {
    private final String name;
    private final String src;
    private final StringBuilder out;
    /** Variable scopes; the innermost is first. */
    private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();

    private static final class BreakSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BreakSignal() {
            super(null, null, false, false);
        }
    }

    private static final class ContinueSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ContinueSignal() {
            super(null, null, false, false);
        }
    }

    TemplateExecutor(String name, String src, StringBuilder out) {
        this.name = name;
        this.src = src;
        this.out = out;
    }

    void run(List<TemplateNode> nodes, JsonNode data) throws TemplateException {
        Object dot = TemplateValues.of(data);
        Map<String, Object> top = new HashMap<>();
        top.put("$", dot);
        scopes.push(top);
        walk(nodes, dot);
    }

    private void walk(List<TemplateNode> nodes, Object dot) throws TemplateException {
        for (TemplateNode node : nodes) {
            if (node instanceof Text t) {
                out.append(t.text());
            } else if (node instanceof Action a) {
                Object v = evalPipeline(a.pipeline(), dot);
                if (a.pipeline().variables().isEmpty()) {
                    out.append(TemplateValues.print(v, true));
                }
            } else if (node instanceof If n) {
                Object v = evalPipeline(n.condition(), dot);
                inScope(TemplateValues.truth(v) ? n.then() : n.otherwise(), dot);
            } else if (node instanceof With n) {
                Object v = evalPipeline(n.value(), dot);
                if (TemplateValues.truth(v)) {
                    inScope(n.body(), v);
                } else {
                    inScope(n.otherwise(), dot);
                }
            } else if (node instanceof Range n) {
                range(n, dot);
            } else if (node instanceof Break) {
                throw new BreakSignal();
            } else if (node instanceof Continue) {
                throw new ContinueSignal();
            }
        }
    }

    private void inScope(List<TemplateNode> nodes, Object dot) throws TemplateException {
        scopes.push(new HashMap<>());
        try {
            walk(nodes, dot);
        } finally {
            scopes.pop();
        }
    }

    private void range(Range n, Object dot) throws TemplateException {
        Pipeline p = n.over();
        // the range's own variables are bound per element, not to the pipeline's value
        Pipeline valueOnly = new Pipeline(p.pos(), List.of(), false, p.commands());
        Object over = evalPipeline(valueOnly, dot);
        List<Object[]> items = new ArrayList<>();
        if (over instanceof JsonNode node && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                items.add(new Object[] {(long) i, TemplateValues.of(node.get(i))});
            }
        } else if (over instanceof JsonNode node && node.isObject()) {
            for (String key : TemplateValues.sortedKeys(node)) {
                items.add(new Object[] {key, TemplateValues.of(node.get(key))});
            }
        } else if (over instanceof Long count) {
            for (long i = 0; i < count; i++) {
                items.add(new Object[] {i, i});
            }
        } else if (over != null) {
            throw execError(p.pos(), textOf(p), "range can't iterate over " + TemplateValues.print(over, false));
        }
        if (items.isEmpty()) {
            inScope(n.otherwise(), dot);
            return;
        }
        for (Object[] item : items) {
            Map<String, Object> scope = new HashMap<>();
            List<String> vars = p.variables();
            if (vars.size() == 1) {
                scope.put(vars.get(0), item[1]);
            } else if (vars.size() >= 2) {
                scope.put(vars.get(0), item[0]);
                scope.put(vars.get(1), item[1]);
            }
            scopes.push(scope);
            try {
                walk(n.body(), item[1]);
            } catch (ContinueSignal c) {
                // next element
            } catch (BreakSignal b) {
                break;
            } finally {
                scopes.pop();
            }
        }
    }

    private Object evalPipeline(Pipeline p, Object dot) throws TemplateException {
        Object value = null;
        boolean first = true;
        for (Command c : p.commands()) {
            value = evalCommand(c, dot, first ? NO_FINAL : value);
            first = false;
        }
        for (String var : p.variables()) {
            if (p.assign()) {
                Map<String, Object> scope = findScope(var);
                if (scope == null) {
                    throw execError(p.pos(), var, "undefined variable: " + var);
                }
                scope.put(var, value);
            } else {
                scopes.peek().put(var, value);
            }
        }
        return value;
    }

    /** Marks "no piped value" (null is a legitimate piped value: nil). */
    private static final Object NO_FINAL = new Object();

    private Object evalCommand(Command c, Object dot, Object piped) throws TemplateException {
        Operand head = c.args().get(0);
        if (head instanceof Function f) {
            List<Object> args = new ArrayList<>();
            List<Operand> operands = c.args().subList(1, c.args().size());
            if (f.name().equals("and") || f.name().equals("or")) {
                return andOr(f, operands, dot, piped);
            }
            for (Operand o : operands) {
                args.add(evalOperand(o, dot));
            }
            if (piped != NO_FINAL) {
                args.add(piped);
            }
            try {
                return TemplateFunctions.call(f.name(), args);
            } catch (TemplateFunctions.ArgumentTypeException e) {
                // Go blames the argument; a piped value is blamed on the command
                if (e.index() < operands.size()) {
                    Operand bad = operands.get(e.index());
                    throw execError(bad.pos(), operandText(bad), e.getMessage());
                }
                throw execError(c.pos(), commandText(c), e.getMessage());
            } catch (TemplateException e) {
                throw execError(c.pos(), commandText(c), e.getMessage());
            }
        }
        if (c.args().size() > 1 || piped != NO_FINAL) {
            String text = operandText(head);
            throw execError(head.pos(), text, "can't give argument to non-function " + text);
        }
        return evalOperand(head, dot);
    }

    private Object andOr(Function f, List<Operand> operands, Object dot, Object piped) throws TemplateException {
        boolean isAnd = f.name().equals("and");
        List<Object> lazy = new ArrayList<>(operands);
        if (piped != NO_FINAL) {
            lazy.add(new Object[] {piped});
        }
        if (lazy.isEmpty()) {
            throw execError(f.pos(), f.name(), "wrong number of args for " + f.name() + ": want at least 1 got 0");
        }
        Object v = null;
        for (Object o : lazy) {
            v = o instanceof Operand op ? evalOperand(op, dot) : ((Object[]) o)[0];
            if (TemplateValues.truth(v) != isAnd) {
                return v;
            }
        }
        return v;
    }

    private Object evalOperand(Operand o, Object dot) throws TemplateException {
        if (o instanceof Field f) {
            return fields(f.pos(), f.text(), dot, f.fields());
        }
        if (o instanceof Variable v) {
            Map<String, Object> scope = findScope(v.name());
            if (scope == null) {
                throw execError(v.pos(), v.text(), "undefined variable: " + v.name());
            }
            return fields(v.pos(), v.text(), scope.get(v.name()), v.fields());
        }
        if (o instanceof Chain ch) {
            Object base = evalPipeline(ch.pipeline(), dot);
            return fields(ch.pos(), ch.text(), base, ch.fields());
        }
        if (o instanceof Literal l) {
            return l.value();
        }
        if (o instanceof Function f) {
            try {
                return TemplateFunctions.call(f.name(), List.of());
            } catch (TemplateException e) {
                throw execError(f.pos(), f.name(), e.getMessage());
            }
        }
        throw new IllegalStateException(String.valueOf(o));
    }

    private Object fields(int pos, String text, Object receiver, List<String> names) throws TemplateException {
        Object v = receiver;
        for (String field : names) {
            if (v instanceof JsonNode node && node.isObject()) {
                if (!node.has(field)) {
                    throw execError(pos, text, "map has no entry for key \"" + field + "\"");
                }
                v = TemplateValues.of(node.get(field));
            } else if (v == null) {
                throw execError(pos, text, "nil pointer evaluating interface {}." + field);
            } else {
                // values decoded from JSON all have the static type interface {}
                throw execError(pos, text, "can't evaluate field " + field + " in type interface {}");
            }
        }
        return v;
    }

    private Map<String, Object> findScope(String var) {
        for (Map<String, Object> scope : scopes) {
            if (scope.containsKey(var)) {
                return scope;
            }
        }
        return null;
    }

    private static String operandText(Operand o) {
        if (o instanceof Field f) {
            return f.text();
        }
        if (o instanceof Variable v) {
            return v.text();
        }
        if (o instanceof Chain c) {
            return c.text();
        }
        if (o instanceof Literal l) {
            return l.text();
        }
        return ((Function) o).name();
    }

    private static String commandText(Command c) {
        StringBuilder sb = new StringBuilder();
        for (Operand o : c.args()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(operandText(o));
        }
        return sb.toString();
    }

    private String textOf(Pipeline p) {
        return src.substring(p.pos(), Math.min(src.length(), p.pos() + 1)).trim();
    }

    /** Go: template: NAME:LINE:COL: executing "NAME" at <TEXT>: MESSAGE. */
    private TemplateException execError(int pos, String text, String message) {
        int line = 1;
        int lastNewline = -1;
        for (int k = 0; k < Math.min(pos, src.length()); k++) {
            if (src.charAt(k) == '\n') {
                line++;
                lastNewline = k;
            }
        }
        int col = pos - lastNewline - 1;
        return new TemplateException("template: " + name + ":" + line + ":" + col + ": executing \"" + name
                + "\" at <" + text + ">: " + message);
    }
}
