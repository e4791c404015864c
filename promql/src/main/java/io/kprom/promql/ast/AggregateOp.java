package io.kprom.promql.ast;

/** Aggregation operators. */
public enum AggregateOp {
    SUM("sum", null, false), AVG("avg", null, false), COUNT("count", null, false), MIN("min", null, false),
    MAX("max", null, false), GROUP("group", null, false), STDDEV("stddev", null, false),
    STDVAR("stdvar", null, false),
    TOPK("topk", ValueType.SCALAR, false), BOTTOMK("bottomk", ValueType.SCALAR, false),
    QUANTILE("quantile", ValueType.SCALAR, false), COUNT_VALUES("count_values", ValueType.STRING, false),
    LIMITK("limitk", ValueType.SCALAR, true), LIMIT_RATIO("limit_ratio", ValueType.SCALAR, true);

    private final String keyword;
    private final ValueType paramType;
    private final boolean experimental;

    AggregateOp(String keyword, ValueType paramType, boolean experimental) {
        this.keyword = keyword;
        this.paramType = paramType;
        this.experimental = experimental;
    }

    /** How the operator is written in PromQL, e.g. {@code count_values}. */
    public String keyword() {
        return keyword;
    }

    /** Whether it takes a parameter before the expression ({@code topk(5, x)}). */
    public boolean hasParam() {
        return paramType != null;
    }

    /** Type of the parameter (scalar, or string for count_values), or null. */
    public ValueType paramType() {
        return paramType;
    }

    /** Behind {@code --enable-feature=promql-experimental-functions} in Prometheus. */
    public boolean experimental() {
        return experimental;
    }

    /** The operator with this keyword (case-insensitive, as PromQL keywords are), or null. */
    public static AggregateOp fromKeyword(String keyword) {
        for (AggregateOp op : values()) {
            if (op.keyword.equalsIgnoreCase(keyword)) {
                return op;
            }
        }
        return null;
    }
}
