package io.kprom.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Kernel edge cases checked directly on arrays. */
class RangeFunctionsTest {
    static Stream<Arguments> quantiles() {
        return Stream.of(
                Arguments.of("median of odd count", 0.5, new double[] {3, 1, 2}, 2.0),
                Arguments.of("interpolated", 0.25, new double[] {0, 10}, 2.5),
                Arguments.of("NaN sorts first", 0.0, new double[] {5, Double.NaN, 1}, Double.NaN),
                Arguments.of("max ignores NaN order", 1.0, new double[] {5, Double.NaN, 1}, 5.0),
                Arguments.of("q below 0", -0.1, new double[] {1}, Double.NEGATIVE_INFINITY),
                Arguments.of("q above 1", 1.1, new double[] {1}, Double.POSITIVE_INFINITY),
                Arguments.of("no values", 0.5, new double[] {}, Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantiles")
    void quantile(String name, double q, double[] values, double expected) {
        assertThat(Double.valueOf(Quantiles.quantile(q, values.clone(), values.length))).isEqualTo(Double.valueOf(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantiles")
    void resetScanSkipGivesIdenticalRates(String name, double q, double[] values, double expected) {
        long[] ts = {1_000, 16_000, 31_000, 46_000};
        double[] vs = {5, 10, 20, 40};
        double scanned = RangeFunctions.extrapolatedRate(ts, vs, 0, 4, 0, 60_000, true, true, true);
        double skipped = RangeFunctions.extrapolatedRate(ts, vs, 0, 4, 0, 60_000, true, true, false);
        assertThat(skipped).isEqualTo(scanned);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histograms")
    void classicHistogramQuantile(String name, double q, double[] bounds, double[] counts, double expected) {
        ClassicHistograms buckets = new ClassicHistograms();
        for (int i = 0; i < bounds.length; i++) {
            buckets.add(bounds[i], counts[i]);
        }
        assertThat(Double.valueOf(buckets.quantile(q))).isEqualTo(Double.valueOf(expected));
    }

    static Stream<Arguments> histograms() {
        double inf = Double.POSITIVE_INFINITY;
        return Stream.of(
                Arguments.of("unsorted input", 0.5, new double[] {inf, 1, 2}, new double[] {10, 4, 6}, 1.5),
                Arguments.of("duplicate bounds merge", 0.5, new double[] {1, 1, inf}, new double[] {2, 2, 4}, 0.5),
                Arguments.of("tiny float error ignored", 0.5, new double[] {1, 2, inf},
                        new double[] {10, 10 - 1e-14, 20}, 1.0),
                Arguments.of("decrease forced monotonic", 0.75, new double[] {1, 2, inf},
                        new double[] {10, 5, 20}, 2.0),
                Arguments.of("single bucket", 0.5, new double[] {inf}, new double[] {3}, Double.NaN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("log2Cases")
    void log2IsExactForPowersOfTwo(String name, double x, double expected) {
        assertThat(Double.valueOf(MathFunctions.log2(x))).isEqualTo(Double.valueOf(expected));
    }

    static Stream<Arguments> log2Cases() {
        return Stream.of(Arguments.of("1", 1.0, 0.0), Arguments.of("1024", 1024.0, 10.0),
                Arguments.of("0.125", 0.125, -3.0), Arguments.of("0", 0.0, Double.NEGATIVE_INFINITY),
                Arguments.of("negative", -1.0, Double.NaN));
    }

    @ParameterizedTest(name = "pow({0})")
    @MethodSource("powCases")
    void powFollowsGo(String name, double x, double y, double expected) {
        assertThat(MathFunctions.pow(x, y)).isEqualTo(expected);
    }

    static Stream<Arguments> powCases() {
        return Stream.of(Arguments.of("1, NaN", 1.0, Double.NaN, 1.0),
                Arguments.of("-1, Inf", -1.0, Double.POSITIVE_INFINITY, 1.0),
                Arguments.of("NaN, 0", Double.NaN, 0.0, 1.0), Arguments.of("2, 10", 2.0, 10.0, 1024.0));
    }
}
