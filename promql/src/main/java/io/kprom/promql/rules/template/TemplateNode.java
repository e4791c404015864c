package io.kprom.promql.rules.template;

import java.util.List;

/** Parsed template syntax (Go text/template subset). Immutable. */
sealed interface TemplateNode {
    record Text(String text) implements TemplateNode {
    }

    record Action(int line, Pipeline pipeline) implements TemplateNode {
    }

    /** {@code if}/{@code with}/{@code range} with their bodies; {@code elseBody} may be empty. */
    record Control(String keyword, int line, Pipeline pipeline, List<TemplateNode> body, List<TemplateNode> elseBody)
            implements TemplateNode {
    }

    /** {@code break} or {@code continue} inside a range. */
    record LoopControl(String keyword, int line) implements TemplateNode {
    }

    /** {@code $a := cmd | cmd}; {@code declare} false means {@code =} (assignment). */
    record Pipeline(List<String> variables, boolean declare, List<Command> commands) {
    }

    record Command(List<Operand> operands) {
    }

    sealed interface Operand {
    }

    /** {@code .} followed by fields, e.g. {@code .Labels.job}; empty fields means dot itself. */
    record Field(List<String> fields) implements Operand {
    }

    record Variable(String name, List<String> fields) implements Operand {
    }

    record Function(String name) implements Operand {
    }

    record Literal(Object value) implements Operand {
    }

    record SubPipeline(Pipeline pipeline, List<String> fields) implements Operand {
    }
}
