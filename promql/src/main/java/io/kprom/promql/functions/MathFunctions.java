package io.kprom.promql.functions;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Element-wise PromQL functions with Go's {@code math} package semantics where Java differs
 * ({@code log2} exact for powers of two, inverse hyperbolics, {@code pow} special cases).
 * Stateless and thread-safe.
 */
public final class MathFunctions {
    private static final Map<String, DoubleUnaryOperator> SIMPLE = Map.ofEntries(
            Map.entry("abs", Math::abs),
            Map.entry("ceil", Math::ceil),
            Map.entry("floor", Math::floor),
            Map.entry("exp", Math::exp),
            Map.entry("sqrt", Math::sqrt),
            Map.entry("ln", Math::log),
            Map.entry("log2", MathFunctions::log2),
            Map.entry("log10", Math::log10),
            Map.entry("sgn", MathFunctions::sgn),
            Map.entry("sin", Math::sin),
            Map.entry("cos", Math::cos),
            Map.entry("tan", Math::tan),
            Map.entry("asin", Math::asin),
            Map.entry("acos", Math::acos),
            Map.entry("atan", Math::atan),
            Map.entry("sinh", Math::sinh),
            Map.entry("cosh", Math::cosh),
            Map.entry("tanh", Math::tanh),
            Map.entry("asinh", MathFunctions::asinh),
            Map.entry("acosh", MathFunctions::acosh),
            Map.entry("atanh", MathFunctions::atanh),
            Map.entry("deg", v -> v * 180 / Math.PI),
            Map.entry("rad", v -> v * Math.PI / 180));

    private static final Map<String, DoubleUnaryOperator> DATES = Map.of(
            "day_of_month", v -> date(v, DateField.DAY_OF_MONTH),
            "day_of_week", v -> date(v, DateField.DAY_OF_WEEK),
            "day_of_year", v -> date(v, DateField.DAY_OF_YEAR),
            "days_in_month", v -> date(v, DateField.DAYS_IN_MONTH),
            "hour", v -> date(v, DateField.HOUR),
            "minute", v -> date(v, DateField.MINUTE),
            "month", v -> date(v, DateField.MONTH),
            "year", v -> date(v, DateField.YEAR));

    private enum DateField { DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_YEAR, DAYS_IN_MONTH, HOUR, MINUTE, MONTH, YEAR }

    private MathFunctions() {
    }

    /** The one-argument math function of that name, or null. */
    public static DoubleUnaryOperator simple(String name) {
        return SIMPLE.get(name);
    }

    /** The date function of that name (argument: Unix seconds, UTC), or null. */
    public static DoubleUnaryOperator date(String name) {
        return DATES.get(name);
    }

    public static double log2(double x) {
        if (x > 0 && !Double.isInfinite(x)) {
            int exponent = Math.getExponent(x);
            if (exponent >= Double.MIN_EXPONENT && x == Math.scalb(1.0, exponent)) {
                return exponent;
            }
        }
        return Math.log(x) / Math.log(2);
    }

    public static double sgn(double x) {
        if (x < 0) {
            return -1;
        }
        if (x > 0) {
            return 1;
        }
        return x;
    }

    public static double asinh(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r = Math.log(a + Math.sqrt(a * a + 1));
        return x < 0 ? -r : r;
    }

    public static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return 0;
        }
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    public static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }

    /** Go's {@code math.Pow}: 1 for {@code pow(1, y)} and {@code pow(-1, ±Inf)} where Java yields NaN. */
    public static double pow(double x, double y) {
        if (x == 1 || y == 0) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    /** {@code round(v, toNearest)}: ties round up, as in Prometheus. */
    public static double round(double value, double toNearest) {
        double inverse = 1.0 / toNearest;
        return Math.floor(value * inverse + 0.5) / inverse;
    }

    private static double date(double seconds, DateField field) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return Double.NaN;
        }
        LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochSecond((long) seconds), ZoneOffset.UTC);
        return switch (field) {
            case DAY_OF_MONTH -> time.getDayOfMonth();
            case DAY_OF_WEEK -> time.getDayOfWeek().getValue() % 7;
            case DAY_OF_YEAR -> time.getDayOfYear();
            case DAYS_IN_MONTH -> time.toLocalDate().lengthOfMonth();
            case HOUR -> time.getHour();
            case MINUTE -> time.getMinute();
            case MONTH -> time.getMonthValue();
            case YEAR -> time.getYear();
        };
    }
}
