package io.kprom.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionsTest {
    /** Every function of the Prometheus 3.x documentation: name, argument types, min and max arity, return type. */
    static Stream<Arguments> documentedFunctions() {
        ValueType v = ValueType.VECTOR;
        ValueType m = ValueType.MATRIX;
        ValueType s = ValueType.SCALAR;
        ValueType str = ValueType.STRING;
        int unlimited = Integer.MAX_VALUE;
        return Stream.of(
                row("abs", List.of(v), 1, 1, v), row("absent", List.of(v), 1, 1, v),
                row("absent_over_time", List.of(m), 1, 1, v), row("acos", List.of(v), 1, 1, v),
                row("acosh", List.of(v), 1, 1, v), row("asin", List.of(v), 1, 1, v),
                row("asinh", List.of(v), 1, 1, v), row("atan", List.of(v), 1, 1, v),
                row("atanh", List.of(v), 1, 1, v), row("avg_over_time", List.of(m), 1, 1, v),
                row("ceil", List.of(v), 1, 1, v), row("changes", List.of(m), 1, 1, v),
                row("clamp", List.of(v, s, s), 3, 3, v), row("clamp_max", List.of(v, s), 2, 2, v),
                row("clamp_min", List.of(v, s), 2, 2, v), row("cos", List.of(v), 1, 1, v),
                row("cosh", List.of(v), 1, 1, v), row("count_over_time", List.of(m), 1, 1, v),
                row("day_of_month", List.of(v), 0, 1, v), row("day_of_week", List.of(v), 0, 1, v),
                row("day_of_year", List.of(v), 0, 1, v), row("days_in_month", List.of(v), 0, 1, v),
                row("deg", List.of(v), 1, 1, v), row("delta", List.of(m), 1, 1, v),
                row("deriv", List.of(m), 1, 1, v),
                row("double_exponential_smoothing", List.of(m, s, s), 3, 3, v),
                row("exp", List.of(v), 1, 1, v), row("first_over_time", List.of(m), 1, 1, v),
                row("floor", List.of(v), 1, 1, v), row("histogram_avg", List.of(v), 1, 1, v),
                row("histogram_count", List.of(v), 1, 1, v), row("histogram_fraction", List.of(s, s, v), 3, 3, v),
                row("histogram_quantile", List.of(s, v), 2, 2, v), row("histogram_stddev", List.of(v), 1, 1, v),
                row("histogram_stdvar", List.of(v), 1, 1, v), row("histogram_sum", List.of(v), 1, 1, v),
                row("hour", List.of(v), 0, 1, v), row("idelta", List.of(m), 1, 1, v),
                row("increase", List.of(m), 1, 1, v), row("info", List.of(v, v), 1, 2, v),
                row("irate", List.of(m), 1, 1, v), row("label_join", List.of(v, str, str, str), 3, unlimited, v),
                row("label_replace", List.of(v, str, str, str, str), 5, 5, v),
                row("last_over_time", List.of(m), 1, 1, v), row("ln", List.of(v), 1, 1, v),
                row("log10", List.of(v), 1, 1, v), row("log2", List.of(v), 1, 1, v),
                row("mad_over_time", List.of(m), 1, 1, v), row("max_over_time", List.of(m), 1, 1, v),
                row("min_over_time", List.of(m), 1, 1, v), row("minute", List.of(v), 0, 1, v),
                row("month", List.of(v), 0, 1, v), row("pi", List.of(), 0, 0, s),
                row("predict_linear", List.of(m, s), 2, 2, v), row("present_over_time", List.of(m), 1, 1, v),
                row("quantile_over_time", List.of(s, m), 2, 2, v), row("rad", List.of(v), 1, 1, v),
                row("rate", List.of(m), 1, 1, v), row("resets", List.of(m), 1, 1, v),
                row("round", List.of(v, s), 1, 2, v), row("scalar", List.of(v), 1, 1, s),
                row("sgn", List.of(v), 1, 1, v), row("sin", List.of(v), 1, 1, v), row("sinh", List.of(v), 1, 1, v),
                row("sort", List.of(v), 1, 1, v), row("sort_by_label", List.of(v, str), 1, unlimited, v),
                row("sort_by_label_desc", List.of(v, str), 1, unlimited, v), row("sort_desc", List.of(v), 1, 1, v),
                row("sqrt", List.of(v), 1, 1, v), row("stddev_over_time", List.of(m), 1, 1, v),
                row("stdvar_over_time", List.of(m), 1, 1, v), row("sum_over_time", List.of(m), 1, 1, v),
                row("tan", List.of(v), 1, 1, v), row("tanh", List.of(v), 1, 1, v), row("time", List.of(), 0, 0, s),
                row("timestamp", List.of(v), 1, 1, v), row("ts_of_first_over_time", List.of(m), 1, 1, v),
                row("ts_of_last_over_time", List.of(m), 1, 1, v), row("ts_of_max_over_time", List.of(m), 1, 1, v),
                row("ts_of_min_over_time", List.of(m), 1, 1, v), row("vector", List.of(s), 1, 1, v),
                row("year", List.of(v), 0, 1, v));
    }

    private static Arguments row(String name, List<ValueType> args, int min, int max, ValueType returnType) {
        return Arguments.of(name, args, min, max, returnType);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedFunctions")
    void hasDocumentedSignature(String name, List<ValueType> args, int min, int max, ValueType returnType) {
        FunctionDef f = Functions.get(name);
        assertThat(f).isNotNull();
        assertThat(f.name()).isEqualTo(name);
        assertThat(f.argTypes()).isEqualTo(args);
        assertThat(f.minArgs()).isEqualTo(min);
        assertThat(f.maxArgs()).isEqualTo(max);
        assertThat(f.returnType()).isEqualTo(returnType);
    }

    @Test
    void tableHoldsExactlyTheDocumentedFunctions() {
        assertThat(Functions.all()).hasSize((int) documentedFunctions().count());
        assertThat(Functions.get("sum")).as("aggregations are not functions").isNull();
        assertThat(Functions.get("RATE")).as("names are case-sensitive").isNull();
    }

    @Test
    void experimentalFunctionsAreMarked() {
        assertThat(Functions.all().stream().filter(FunctionDef::experimental).map(FunctionDef::name))
                .containsExactlyInAnyOrder("double_exponential_smoothing", "first_over_time", "info",
                        "mad_over_time", "sort_by_label", "sort_by_label_desc", "ts_of_first_over_time",
                        "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time");
    }

    @Test
    void variadicArgumentsRepeatTheLastDeclaredType() {
        FunctionDef labelJoin = Functions.get("label_join");
        assertThat(labelJoin.argType(0)).isEqualTo(ValueType.VECTOR);
        assertThat(labelJoin.argType(7)).isEqualTo(ValueType.STRING);
    }
}
