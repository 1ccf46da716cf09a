package io.berth.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Java subset of Go's {@code text/template}, for crictl's {@code -o go-template --template ...}.
 * It runs over the same data crictl uses (the JSON document the command would print, decoded into
 * maps, lists, strings, numbers and booleans) with {@code missingkey=error}.
 *
 * <p>Covered: text and actions with {@code {{-}} / {{- -}}} trimming and {@code {{/* comments * /}}};
 * field chains ({@code .a.b}, {@code $x.a}, {@code (pipeline).a}); {@code .} and {@code $};
 * variables ({@code $x := ...}, {@code $x = ...}); pipelines with {@code |}; string, raw-string,
 * number, {@code true}/{@code false}/{@code nil} literals; {@code if}/{@code else if}/{@code else},
 * {@code range} (lists and maps, with {@code $i, $v :=}, {@code else}, {@code break}, {@code continue}),
 * {@code with}/{@code else}; functions {@code and or not len index print printf println eq ne lt le
 * gt ge} plus crictl's {@code json title lower upper}.
 *
 * <p>Not covered: {@code define}, {@code template}, {@code block}, method calls, {@code slice},
 * {@code html}, {@code js}, {@code urlquery}, {@code call}, and printf verbs beyond
 * {@code %s %v %d %q %t %f %x %%} (with width and precision).
 */
public final class GoTemplate {
    private final String name;
    private final String source;
    private final List<TemplateNode> root;

    private GoTemplate(String name, String source, List<TemplateNode> root) {
        this.name = name;
        this.source = source;
        this.root = root;
    }

    /** Parses a template; syntax errors are reported like Go's ("template: NAME:LINE: ..."). */
    public static GoTemplate parse(String name, String source) throws TemplateException {
        return new GoTemplate(name, source, new TemplateParser(name, source).parse());
    }

    /** Executes over a JSON document. */
    public String execute(JsonNode data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        new TemplateExecutor(name, source, out).run(root, data);
        return out.toString();
    }
}
