package io.kprom.promql.ast;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every function of PromQL in Prometheus 3.x with its signature. Aggregations ({@code sum}, {@code topk},
 * {@code limitk}, ...) are {@link AggregateOp}s, not functions. Immutable and thread-safe.
 */
public final class Functions {
    private static final Map<String, FunctionDef> BY_NAME;

    static {
        BY_NAME = new TreeMap<>();
        add(new FunctionDef("abs", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("absent", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("absent_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("acos", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("acosh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("asin", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("asinh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("atan", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("atanh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("avg_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("ceil", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("changes", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("clamp", List.of(ValueType.VECTOR, ValueType.SCALAR, ValueType.SCALAR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("clamp_max", List.of(ValueType.VECTOR, ValueType.SCALAR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("clamp_min", List.of(ValueType.VECTOR, ValueType.SCALAR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("cos", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("cosh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("count_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("day_of_month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("day_of_week", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("day_of_year", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("days_in_month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("deg", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("delta", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("deriv", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("double_exponential_smoothing", List.of(ValueType.MATRIX, ValueType.SCALAR, ValueType.SCALAR), 0, ValueType.VECTOR, true));
        add(new FunctionDef("exp", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("first_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("floor", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_avg", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_count", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_fraction", List.of(ValueType.SCALAR, ValueType.SCALAR, ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_quantile", List.of(ValueType.SCALAR, ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_stddev", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_stdvar", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("histogram_sum", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("hour", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("idelta", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("increase", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("info", List.of(ValueType.VECTOR, ValueType.VECTOR), 1, ValueType.VECTOR, true));
        add(new FunctionDef("irate", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("label_join", List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING), -1, ValueType.VECTOR, false));
        add(new FunctionDef("label_replace", List.of(ValueType.VECTOR, ValueType.STRING, ValueType.STRING, ValueType.STRING, ValueType.STRING), 0, ValueType.VECTOR, false));
        add(new FunctionDef("last_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("ln", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("log10", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("log2", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("mad_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("max_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("min_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("minute", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("month", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("pi", List.of(), 0, ValueType.SCALAR, false));
        add(new FunctionDef("predict_linear", List.of(ValueType.MATRIX, ValueType.SCALAR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("present_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("quantile_over_time", List.of(ValueType.SCALAR, ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("rad", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("rate", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("resets", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("round", List.of(ValueType.VECTOR, ValueType.SCALAR), 1, ValueType.VECTOR, false));
        add(new FunctionDef("scalar", List.of(ValueType.VECTOR), 0, ValueType.SCALAR, false));
        add(new FunctionDef("sgn", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sin", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sinh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sort", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sort_by_label", List.of(ValueType.VECTOR, ValueType.STRING), -1, ValueType.VECTOR, true));
        add(new FunctionDef("sort_by_label_desc", List.of(ValueType.VECTOR, ValueType.STRING), -1, ValueType.VECTOR, true));
        add(new FunctionDef("sort_desc", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sqrt", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("stddev_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("stdvar_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("sum_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, false));
        add(new FunctionDef("tan", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("tanh", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("time", List.of(), 0, ValueType.SCALAR, false));
        add(new FunctionDef("timestamp", List.of(ValueType.VECTOR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("ts_of_first_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("ts_of_last_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("ts_of_max_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("ts_of_min_over_time", List.of(ValueType.MATRIX), 0, ValueType.VECTOR, true));
        add(new FunctionDef("vector", List.of(ValueType.SCALAR), 0, ValueType.VECTOR, false));
        add(new FunctionDef("year", List.of(ValueType.VECTOR), 1, ValueType.VECTOR, false));
    }

    private Functions() {
    }

    private static void add(FunctionDef function) {
        BY_NAME.put(function.name(), function);
    }

    /** The function called {@code name} (case-sensitive, as in Prometheus), or null. */
    public static FunctionDef get(String name) {
        return BY_NAME.get(name);
    }

    /** All functions, sorted by name. */
    public static Collection<FunctionDef> all() {
        return Collections.unmodifiableCollection(BY_NAME.values());
    }
}
