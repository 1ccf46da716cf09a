package io.berth.cli.template;

import java.util.List;

/** The parse tree of a template. Positions are byte offsets into the source, as Go reports them. */
sealed interface TemplateNode {

    record Text(String text) implements TemplateNode {
    }

    /** {@code {{pipeline}}}: prints the value unless the pipeline only declares variables. */
    record Action(Pipeline pipeline) implements TemplateNode {
    }

    record If(Pipeline condition, List<TemplateNode> then, List<TemplateNode> otherwise) implements TemplateNode {
    }

    record With(Pipeline value, List<TemplateNode> body, List<TemplateNode> otherwise) implements TemplateNode {
    }

    record Range(Pipeline over, List<TemplateNode> body, List<TemplateNode> otherwise) implements TemplateNode {
    }

    record Break(int pos) implements TemplateNode {
    }

    record Continue(int pos) implements TemplateNode {
    }

    /** {@code $a, $b := cmd | cmd}; {@code assign} is true for {@code =} (re-assignment). */
    record Pipeline(int pos, List<String> variables, boolean assign, List<Command> commands) {
    }

    record Command(int pos, List<Operand> args) {
    }

    /** One argument of a command. */
    sealed interface Operand {
        int pos();
    }

    /** {@code .a.b} (fields may be empty for {@code .}). */
    record Field(int pos, List<String> fields, String text) implements Operand {
    }

    /** {@code $x.a.b} ({@code $} alone is the root data). */
    record Variable(int pos, String name, List<String> fields, String text) implements Operand {
    }

    /** {@code (pipeline).a.b}. */
    record Chain(int pos, Pipeline pipeline, List<String> fields, String text) implements Operand {
    }

    record Function(int pos, String name) implements Operand {
    }

    /** A string, number, bool or nil literal, already converted to its value. */
    record Literal(int pos, Object value, String text) implements Operand {
    }
}
