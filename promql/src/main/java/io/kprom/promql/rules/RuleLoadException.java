package io.kprom.promql.rules;

import java.util.List;

/**
 * A rule file (or unit-test file) that cannot be used, with every problem found. Each error line
 * reads like promtool's: {@code rules.yml: 7:11: group "api", rule 2, "HighLatency": could not parse expression: ...}.
 */
public class RuleLoadException extends Exception {
    private final List<String> errors;

    public RuleLoadException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
