package io.kprom.promql.rules.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed alert template in the Go text/template subset Prometheus rules use, with Prometheus's
 * variables ({@code $labels}, {@code $externalLabels}, {@code $externalURL}, {@code $value}) and
 * functions ({@code humanize}, {@code printf}, {@code query} with {@code first}/{@code value}/
 * {@code label}, ...). Unknown functions and undefined variables fail in {@link #parse}.
 *
 * <pre>{@code
 * GoTemplate t = GoTemplate.parse("__alert_HighLatency", "{{ $labels.job }} at {{ humanize $value }}");
 * String text = t.execute(new TemplateData(labels, externalLabels, "", 1234.5), context);
 * }</pre>
 *
 * Immutable and thread-safe; execution state lives on the calling thread.
 */
public final class GoTemplate {
    private static final Set<String> PREDECLARED = Set.of("$labels", "$externalLabels", "$externalURL", "$value");

    private final String name;
    private final List<TemplateNode> nodes;

    private GoTemplate(String name, List<TemplateNode> nodes) {
        this.name = name;
        this.nodes = nodes;
    }

    public static GoTemplate parse(String name, String text) throws TemplateException {
        return new GoTemplate(name, new TemplateParser(name, text, TemplateFunctions.names(), PREDECLARED).parse());
    }

    /** Expands the template; throws with Go-like wording when execution fails. */
    public String execute(TemplateData data, TemplateContext context) throws TemplateException {
        Map<String, Object> dot = new HashMap<>();
        dot.put("Labels", data.labels());
        dot.put("ExternalLabels", data.externalLabels());
        dot.put("ExternalURL", data.externalUrl());
        dot.put("Value", data.value());
        Execution execution = new Execution(context);
        Map<String, Object> root = new HashMap<>();
        root.put("$", dot);
        root.put("$labels", data.labels());
        root.put("$externalLabels", data.externalLabels());
        root.put("$externalURL", data.externalUrl());
        root.put("$value", data.value());
        execution.scopes.add(root);
        StringBuilder out = new StringBuilder();
        try {
            execution.run(nodes, dot, out);
        } catch (LoopSignal signal) {
            throw new TemplateException("template: " + name + ": " + signal.keyword + " outside range");
        }
        return out.toString();
    }

    /** Unwinds a range body for {@code break}/{@code continue}. */
    private static final class LoopSignal extends RuntimeException {
        final String keyword;

        LoopSignal(String keyword) {
            super(keyword, null, false, false);
            this.keyword = keyword;
        }
    }

    private final class Execution {
        final TemplateContext context;
        final List<Map<String, Object>> scopes = new ArrayList<>();

        Execution(TemplateContext context) {
            this.context = context;
        }

        void run(List<TemplateNode> body, Object dot, StringBuilder out) throws TemplateException {
            for (TemplateNode node : body) {
                if (node instanceof TemplateNode.Text text) {
                    out.append(text.text());
                } else if (node instanceof TemplateNode.Action action) {
                    Object value = pipeline(action.pipeline(), dot, action.line());
                    if (action.pipeline().variables().isEmpty()) {
                        out.append(value == null ? "<no value>" : GoFormat.print(value));
                    }
                } else if (node instanceof TemplateNode.LoopControl loop) {
                    throw new LoopSignal(loop.keyword());
                } else if (node instanceof TemplateNode.Control control) {
                    control(control, dot, out);
                }
            }
        }

        private void control(TemplateNode.Control control, Object dot, StringBuilder out) throws TemplateException {
            scopes.add(new HashMap<>());
            try {
                switch (control.keyword()) {
                    case "if" -> {
                        Object value = pipeline(control.pipeline(), dot, control.line());
                        runScoped(TemplateFunctions.truth(value) ? control.body() : control.elseBody(), dot, out);
                    }
                    case "with" -> {
                        Object value = pipeline(control.pipeline(), dot, control.line());
                        if (TemplateFunctions.truth(value)) {
                            runScoped(control.body(), value, out);
                        } else {
                            runScoped(control.elseBody(), dot, out);
                        }
                    }
                    default -> range(control, dot, out);
                }
            } finally {
                scopes.remove(scopes.size() - 1);
            }
        }

        private void runScoped(List<TemplateNode> body, Object dot, StringBuilder out) throws TemplateException {
            scopes.add(new HashMap<>());
            try {
                run(body, dot, out);
            } finally {
                scopes.remove(scopes.size() - 1);
            }
        }

        private void range(TemplateNode.Control control, Object dot, StringBuilder out) throws TemplateException {
            TemplateNode.Pipeline pipeline = control.pipeline();
            Object collection = commands(pipeline.commands(), dot, control.line());
            List<Object[]> items = new ArrayList<>();
            if (collection instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    items.add(new Object[] {(long) i, list.get(i)});
                }
            } else if (collection instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
                    items.add(new Object[] {entry.getKey(), entry.getValue()});
                }
            } else if (collection instanceof Long count) {
                for (long i = 0; i < count; i++) {
                    items.add(new Object[] {i, i});
                }
            } else if (collection != null) {
                throw failure(control.line(), "range can't iterate over " + GoFormat.print(collection));
            }
            if (items.isEmpty()) {
                runScoped(control.elseBody(), dot, out);
                return;
            }
            for (Object[] item : items) {
                Map<String, Object> scope = new HashMap<>();
                List<String> variables = pipeline.variables();
                if (variables.size() == 1) {
                    scope.put(variables.get(0), item[1]);
                } else if (variables.size() == 2) {
                    scope.put(variables.get(0), item[0]);
                    scope.put(variables.get(1), item[1]);
                }
                scopes.add(scope);
                try {
                    run(control.body(), item[1], out);
                } catch (LoopSignal signal) {
                    if (signal.keyword.equals("break")) {
                        break;
                    }
                } finally {
                    scopes.remove(scopes.size() - 1);
                }
            }
        }

        private Object pipeline(TemplateNode.Pipeline pipeline, Object dot, int line) throws TemplateException {
            Object value = commands(pipeline.commands(), dot, line);
            for (String variable : pipeline.variables()) {
                if (pipeline.declare()) {
                    scopes.get(scopes.size() - 1).put(variable, value);
                } else {
                    for (int i = scopes.size() - 1; i >= 0; i--) {
                        if (scopes.get(i).containsKey(variable)) {
                            scopes.get(i).put(variable, value);
                            break;
                        }
                    }
                }
            }
            return value;
        }

        private Object commands(List<TemplateNode.Command> commands, Object dot, int line) throws TemplateException {
            Object piped = null;
            boolean hasPiped = false;
            for (TemplateNode.Command command : commands) {
                piped = command(command, dot, line, piped, hasPiped);
                hasPiped = true;
            }
            return piped;
        }

        private Object command(TemplateNode.Command command, Object dot, int line, Object piped, boolean hasPiped)
                throws TemplateException {
            List<TemplateNode.Operand> operands = command.operands();
            TemplateNode.Operand first = operands.get(0);
            if (first instanceof TemplateNode.Function function) {
                List<Object> args = new ArrayList<>();
                for (int i = 1; i < operands.size(); i++) {
                    args.add(operand(operands.get(i), dot, line));
                }
                if (hasPiped) {
                    args.add(piped);
                }
                try {
                    return TemplateFunctions.call(function.name(), args, context);
                } catch (TemplateException e) {
                    throw e;
                } catch (Exception e) {
                    throw failure(line, "executing \"" + name + "\" at <" + function.name() + ">: error calling "
                            + function.name() + ": " + e.getMessage());
                }
            }
            if (operands.size() > 1 || hasPiped) {
                throw failure(line, "can't give argument to non-function " + describe(first));
            }
            return operand(first, dot, line);
        }

        private Object operand(TemplateNode.Operand operand, Object dot, int line) throws TemplateException {
            if (operand instanceof TemplateNode.Literal literal) {
                return literal.value();
            }
            if (operand instanceof TemplateNode.Field field) {
                return fields(dot, field.fields(), line);
            }
            if (operand instanceof TemplateNode.Variable variable) {
                return fields(variable(variable.name()), variable.fields(), line);
            }
            if (operand instanceof TemplateNode.SubPipeline sub) {
                return fields(commands(sub.pipeline().commands(), dot, line), sub.fields(), line);
            }
            TemplateNode.Function function = (TemplateNode.Function) operand;
            try {
                return TemplateFunctions.call(function.name(), List.of(), context);
            } catch (Exception e) {
                throw failure(line, "executing \"" + name + "\" at <" + function.name() + ">: error calling "
                        + function.name() + ": " + e.getMessage());
            }
        }

        private Object variable(String variable) {
            for (int i = scopes.size() - 1; i >= 0; i--) {
                if (scopes.get(i).containsKey(variable)) {
                    return scopes.get(i).get(variable);
                }
            }
            return null;
        }

        private Object fields(Object value, List<String> fields, int line) throws TemplateException {
            Object current = value;
            for (String field : fields) {
                if (current instanceof QuerySample sample) {
                    current = switch (field) {
                        case "Labels" -> sample.labels();
                        case "Value" -> sample.value();
                        default -> throw failure(line, "can't evaluate field " + field + " in type *template.sample");
                    };
                } else if (current instanceof Map<?, ?> map) {
                    Object next = map.get(field);
                    // missingkey=zero: a missing label reads as the empty string.
                    current = next == null && isStringMap(map) ? "" : next;
                } else if (current == null) {
                    throw failure(line, "nil pointer evaluating interface {}." + field);
                } else {
                    throw failure(line, "can't evaluate field " + field + " in type " + TemplateFunctions.describe(current));
                }
            }
            return current;
        }

        private boolean isStringMap(Map<?, ?> map) {
            for (Object v : map.values()) {
                if (!(v instanceof String)) {
                    return false;
                }
            }
            return true;
        }

        private String describe(TemplateNode.Operand operand) {
            if (operand instanceof TemplateNode.Variable variable) {
                return variable.name() + (variable.fields().isEmpty() ? "" : "." + String.join(".", variable.fields()));
            }
            if (operand instanceof TemplateNode.Field field) {
                return "." + String.join(".", field.fields());
            }
            if (operand instanceof TemplateNode.Literal literal) {
                return GoFormat.print(literal.value());
            }
            return "(pipeline)";
        }

        private TemplateException failure(int line, String message) {
            return new TemplateException("template: " + name + ":" + line + ": " + message);
        }
    }
}
