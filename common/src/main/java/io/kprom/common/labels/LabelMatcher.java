package io.kprom.common.labels;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * One label matcher of a PromQL selector ({@code name="v"}, {@code !=}, {@code =~}, {@code !~}).
 * Regexes use RE2 syntax and semantics (linear time), are fully anchored and let {@code .} match
 * newlines, as in Prometheus 3.x. Immutable and thread-safe.
 */
public final class LabelMatcher {
    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String operator;

        Type(String operator) {
            this.operator = operator;
        }

        public String operator() {
            return operator;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type);
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        this.pattern = type == Type.REGEX || type == Type.NOT_REGEX
                ? Pattern.compile("^(?s:" + value + ")$")
                : null;
    }

    /** Throws {@link com.google.re2j.PatternSyntaxException} for an invalid regex. */
    public static LabelMatcher of(Type type, String name, String value) {
        return new LabelMatcher(type, name, value);
    }

    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(Type.EQUAL, name, value);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Whether a label value (empty string when the label is absent) matches. */
    public boolean matches(String labelValue) {
        String v = labelValue == null ? "" : labelValue;
        return switch (type) {
            case EQUAL -> v.equals(value);
            case NOT_EQUAL -> !v.equals(value);
            case REGEX -> pattern.matches(v);
            case NOT_REGEX -> !pattern.matches(v);
        };
    }

    /** Whether the matcher selects series that lack the label (it matches the empty string). */
    public boolean matchesEmpty() {
        return matches("");
    }

    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    @Override
    public String toString() {
        return name + type.operator + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
