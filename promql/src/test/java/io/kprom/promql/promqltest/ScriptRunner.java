package io.kprom.promql.promqltest;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Runs one parsed {@code eval} against the engine and explains any mismatch. */
final class ScriptRunner {
    /** Relative tolerance for float comparison, as Prometheus's test runner uses. */
    private static final double EPSILON = 1e-6;

    private final PromqlEngine engine;

    ScriptRunner(PromqlEngine engine) {
        this.engine = engine;
    }

    void run(ScriptCommand command) {
        QueryOptions options = QueryOptions.defaults();
        if (command.lookbackMillis != null) {
            options = options.withLookbackDelta(Duration.ofMillis(command.lookbackMillis));
        }
        QueryResult result;
        try {
            result = command.kind == ScriptCommand.Kind.INSTANT
                    ? engine.instantQuery((min, max) -> command.storage, command.query, command.startMillis, options)
                    : engine.rangeQuery((min, max) -> command.storage, command.query, command.startMillis,
                            command.endMillis, command.stepMillis, options);
        } catch (QueryException e) {
            if (!command.expectFail) {
                throw new AssertionError("unexpected error: " + e.getMessage(), e);
            }
            if (command.failMessage != null && !command.failMessage.equals(e.getMessage())) {
                throw new AssertionError("expected error message\n  " + command.failMessage + "\nbut got\n  "
                        + e.getMessage());
            }
            if (command.failRegex != null && !Pattern.compile(command.failRegex).matcher(e.getMessage()).find()) {
                throw new AssertionError("error message does not match /" + command.failRegex + "/: " + e.getMessage());
            }
            return;
        }
        if (command.expectFail) {
            throw new AssertionError("expected an error but got " + describe(result.value()));
        }
        checkAnnotations(command, result);
        if (command.kind == ScriptCommand.Kind.INSTANT) {
            checkInstant(command, result.value());
        } else {
            checkRange(command, (Value.MatrixValue) result.value());
        }
    }

    private static void checkAnnotations(ScriptCommand command, QueryResult result) {
        if (command.expectWarn && result.warnings().isEmpty()) {
            throw new AssertionError("expected a warning, got none");
        }
        if (command.warnMessage != null && !result.warnings().contains(command.warnMessage)) {
            throw new AssertionError("expected warning " + command.warnMessage + ", got " + result.warnings());
        }
        if (command.expectInfo && result.infos().isEmpty()) {
            throw new AssertionError("expected an info annotation, got none");
        }
        if (command.infoMessage != null && !result.infos().contains(command.infoMessage)) {
            throw new AssertionError("expected info " + command.infoMessage + ", got " + result.infos());
        }
        if (command.expectNoWarn && !result.warnings().isEmpty()) {
            throw new AssertionError("expected no warnings, got " + result.warnings());
        }
        if (command.expectNoInfo && !result.infos().isEmpty()) {
            throw new AssertionError("expected no info annotations, got " + result.infos());
        }
    }

    private static void checkInstant(ScriptCommand command, Value value) {
        if (value instanceof Value.ScalarValue scalar) {
            if (command.expected.size() != 1 || command.expected.get(0).labels() != null
                    || command.expected.get(0).values().size() != 1) {
                throw new AssertionError("got scalar " + scalar.value() + " but expected " + command.expected.size()
                        + " series");
            }
            double expected = command.expected.get(0).values().get(0);
            if (!almostEqual(expected, scalar.value())) {
                throw new AssertionError("expected scalar " + expected + " but got " + scalar.value());
            }
            return;
        }
        if (value instanceof Value.StringValue string) {
            if (command.expected.size() != 1 || command.expected.get(0).text() == null
                    || !command.expected.get(0).text().equals(string.value())) {
                throw new AssertionError("got string \"" + string.value() + "\", expected " + command.expected);
            }
            return;
        }
        if (value instanceof Value.MatrixValue matrix) {
            checkInstantMatrix(command, matrix);
            return;
        }
        List<Value.Sample> samples = ((Value.VectorValue) value).samples();
        if (samples.size() != command.expected.size()) {
            throw new AssertionError("expected " + command.expected.size() + " samples but got " + samples.size()
                    + ": " + describe(value));
        }
        Map<Labels, Double> actual = new HashMap<>();
        for (Value.Sample sample : samples) {
            if (actual.put(sample.labels(), sample.value()) != null) {
                throw new AssertionError("duplicate series in result: " + sample.labels());
            }
        }
        for (int i = 0; i < command.expected.size(); i++) {
            ScriptCommand.Expected expected = command.expected.get(i);
            if (expected.labels() == null || expected.values().size() != 1) {
                throw new AssertionError("line " + expected.line() + ": expected a series with one value");
            }
            Double got = actual.get(expected.labels());
            if (got == null) {
                throw new AssertionError("line " + expected.line() + ": missing " + expected.labels() + " in "
                        + describe(value));
            }
            if (!almostEqual(expected.values().get(0), got)) {
                throw new AssertionError("line " + expected.line() + ": " + expected.labels() + " expected "
                        + expected.values().get(0) + " but got " + got);
            }
            if (command.ordered && !samples.get(i).labels().equals(expected.labels())) {
                throw new AssertionError("line " + expected.line() + ": expected " + expected.labels()
                        + " at position " + i + " but got " + samples.get(i).labels());
            }
        }
    }

    private static void checkInstantMatrix(ScriptCommand command, Value.MatrixValue matrix) {
        Map<Labels, Value.SeriesValue> actual = new HashMap<>();
        for (Value.SeriesValue series : matrix.series()) {
            actual.put(series.labels(), series);
        }
        if (actual.size() != command.expected.size()) {
            throw new AssertionError("expected " + command.expected.size() + " series but got " + describe(matrix));
        }
        for (ScriptCommand.Expected expected : command.expected) {
            Value.SeriesValue series = actual.get(expected.labels());
            if (series == null) {
                throw new AssertionError("line " + expected.line() + ": missing " + expected.labels());
            }
            List<Double> values = new ArrayList<>();
            for (Double v : expected.values()) {
                if (v != null) {
                    values.add(v);
                }
            }
            if (values.size() != series.values().length) {
                throw new AssertionError("line " + expected.line() + ": expected " + values + " but got "
                        + java.util.Arrays.toString(series.values()));
            }
            for (int i = 0; i < values.size(); i++) {
                if (!almostEqual(values.get(i), series.values()[i])) {
                    throw new AssertionError("line " + expected.line() + ": expected " + values + " but got "
                            + java.util.Arrays.toString(series.values()));
                }
            }
        }
    }

    private static void checkRange(ScriptCommand command, Value.MatrixValue matrix) {
        Map<Labels, Value.SeriesValue> actual = new HashMap<>();
        for (Value.SeriesValue series : matrix.series()) {
            actual.put(series.labels(), series);
        }
        if (actual.size() != command.expected.size()) {
            throw new AssertionError("expected " + command.expected.size() + " series but got " + describe(matrix));
        }
        for (ScriptCommand.Expected expected : command.expected) {
            Labels labels = expected.labels() == null ? Labels.EMPTY : expected.labels();
            Value.SeriesValue series = actual.get(labels);
            if (series == null) {
                throw new AssertionError("line " + expected.line() + ": missing " + labels + " in " + describe(matrix));
            }
            Map<Long, Double> points = new HashMap<>();
            for (int i = 0; i < series.timestamps().length; i++) {
                points.put(series.timestamps()[i], series.values()[i]);
            }
            int steps = (int) ((command.endMillis - command.startMillis) / command.stepMillis) + 1;
            if (expected.values().size() != steps) {
                throw new AssertionError("line " + expected.line() + ": " + expected.values().size()
                        + " expected values for " + steps + " steps");
            }
            for (int step = 0; step < steps; step++) {
                long t = command.startMillis + step * command.stepMillis;
                Double want = expected.values().get(step);
                Double got = points.get(t);
                if (want == null ? got != null : got == null || !almostEqual(want, got)) {
                    throw new AssertionError("line " + expected.line() + ": " + labels + " at " + t / 1000.0
                            + "s expected " + (want == null ? "_" : want) + " but got " + (got == null ? "_" : got)
                            + "; whole series: " + describe(series));
                }
            }
        }
    }

    static boolean almostEqual(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (expected == actual) {
            return true;
        }
        double diff = Math.abs(expected - actual);
        double sum = Math.abs(expected) + Math.abs(actual);
        if (expected == 0 || actual == 0 || sum < Double.MIN_NORMAL) {
            return diff < EPSILON * Double.MIN_NORMAL;
        }
        return diff / Math.min(sum, Double.MAX_VALUE) < EPSILON;
    }

    private static String describe(Value.SeriesValue series) {
        StringBuilder sb = new StringBuilder(series.labels().toString()).append(" =>");
        for (int i = 0; i < series.timestamps().length; i++) {
            sb.append(' ').append(series.values()[i]).append(" @").append(series.timestamps()[i] / 1000.0);
        }
        return sb.toString();
    }

    static String describe(Value value) {
        if (value instanceof Value.VectorValue vector) {
            StringBuilder sb = new StringBuilder("vector[");
            for (Value.Sample sample : vector.samples()) {
                sb.append("\n  ").append(sample.labels()).append(" => ").append(sample.value());
            }
            return sb.append("]").toString();
        }
        if (value instanceof Value.MatrixValue matrix) {
            StringBuilder sb = new StringBuilder("matrix[");
            for (Value.SeriesValue series : matrix.series()) {
                sb.append("\n  ").append(describe(series));
            }
            return sb.append("]").toString();
        }
        return value.toString();
    }
}
