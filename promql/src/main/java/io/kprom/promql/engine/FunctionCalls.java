package io.kprom.promql.engine;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.PositionRange;
import io.kprom.promql.ast.VectorSelector;
import io.kprom.promql.functions.KahanSum;
import io.kprom.promql.functions.MathFunctions;
import io.kprom.promql.functions.RangeFunctions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Evaluates function calls; range-vector functions slide their windows over each series once. */
final class FunctionCalls {
    private final Evaluator evaluator;
    private final EvaluationContext context;

    FunctionCalls(Evaluator evaluator) {
        this.evaluator = evaluator;
        this.context = evaluator.context();
    }

    Operand evaluate(Call call) {
        String name = call.function().name();
        List<Expr> args = call.args();
        RangeKind rangeKind = RangeKind.of(name);
        if (rangeKind != null) {
            return rangeFunction(call, rangeKind);
        }
        DoubleUnaryOperator simple = MathFunctions.simple(name);
        if (simple != null) {
            return elementWise(evaluator.vector(args.get(0)), simple);
        }
        DoubleUnaryOperator date = MathFunctions.date(name);
        if (date != null) {
            return dateFunction(args, date);
        }
        return switch (name) {
            case "time" -> scalarFromSteps(evaluator.grid(), true);
            case "pi" -> constant(Math.PI);
            case "vector" -> vectorOf(evaluator.scalar(args.get(0)));
            case "scalar" -> scalarOf(evaluator.vector(args.get(0)));
            case "timestamp" -> timestamp(args.get(0));
            case "absent" -> absent(args.get(0));
            case "round" -> round(args);
            case "clamp" -> clamp(args);
            case "clamp_min" -> clampBound(args, true);
            case "clamp_max" -> clampBound(args, false);
            case "label_replace" -> new LabelFunctions(evaluator).labelReplace(args);
            case "label_join" -> new LabelFunctions(evaluator).labelJoin(args);
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc" ->
                    new LabelFunctions(evaluator).sort(name, args);
            case "histogram_quantile" -> new HistogramFunctions(evaluator).quantile(call);
            case "histogram_fraction" -> new HistogramFunctions(evaluator).fraction(call);
            case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar" ->
                    nativeHistogramOnly(args);
            case "info" -> new InfoFunction(evaluator).evaluate(call);
            default -> throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "function \"" + name + "\" is not supported by this engine");
        };
    }

    /** The range-vector functions, resolved once per call so the per-step loop switches on an enum. */
    enum RangeKind {
        RATE, INCREASE, DELTA, IRATE, IDELTA, DERIV, PREDICT_LINEAR, DOUBLE_EXPONENTIAL_SMOOTHING,
        SUM, AVG, MIN, MAX, COUNT, STDDEV, STDVAR, QUANTILE, MAD, LAST, FIRST, PRESENT, ABSENT,
        CHANGES, RESETS, TS_OF_FIRST, TS_OF_LAST, TS_OF_MIN, TS_OF_MAX;

        static RangeKind of(String name) {
            return switch (name) {
                case "rate" -> RATE;
                case "increase" -> INCREASE;
                case "delta" -> DELTA;
                case "irate" -> IRATE;
                case "idelta" -> IDELTA;
                case "deriv" -> DERIV;
                case "predict_linear" -> PREDICT_LINEAR;
                case "double_exponential_smoothing", "holt_winters" -> DOUBLE_EXPONENTIAL_SMOOTHING;
                case "sum_over_time" -> SUM;
                case "avg_over_time" -> AVG;
                case "min_over_time" -> MIN;
                case "max_over_time" -> MAX;
                case "count_over_time" -> COUNT;
                case "stddev_over_time" -> STDDEV;
                case "stdvar_over_time" -> STDVAR;
                case "quantile_over_time" -> QUANTILE;
                case "mad_over_time" -> MAD;
                case "last_over_time" -> LAST;
                case "first_over_time" -> FIRST;
                case "present_over_time" -> PRESENT;
                case "absent_over_time" -> ABSENT;
                case "changes" -> CHANGES;
                case "resets" -> RESETS;
                case "ts_of_first_over_time" -> TS_OF_FIRST;
                case "ts_of_last_over_time" -> TS_OF_LAST;
                case "ts_of_min_over_time" -> TS_OF_MIN;
                case "ts_of_max_over_time" -> TS_OF_MAX;
                default -> null;
            };
        }

        int minimumSamples() {
            return switch (this) {
                case RATE, INCREASE, DELTA, IRATE, IDELTA, DERIV, PREDICT_LINEAR, DOUBLE_EXPONENTIAL_SMOOTHING -> 2;
                default -> 1;
            };
        }

        /** Prometheus 3.x keeps the metric name only for these selections of raw samples. */
        boolean keepsMetricName() {
            return this == LAST || this == FIRST;
        }
    }

    private Operand rangeFunction(Call call, RangeKind kind) {
        List<Expr> args = call.args();
        int matrixIndex = kind == RangeKind.QUANTILE ? 1 : 0;
        double[] firstParam = null;
        double[] secondParam = null;
        if (kind == RangeKind.QUANTILE) {
            firstParam = evaluator.scalar(args.get(0));
        } else if (kind == RangeKind.PREDICT_LINEAR) {
            firstParam = evaluator.scalar(args.get(1));
        } else if (kind == RangeKind.DOUBLE_EXPONENTIAL_SMOOTHING) {
            firstParam = evaluator.scalar(args.get(1));
            secondParam = evaluator.scalar(args.get(2));
            validateSmoothing(firstParam, secondParam);
        }
        if (kind == RangeKind.QUANTILE) {
            warnQuantileRange(firstParam, args.get(0).position());
        }
        RangeSource source = evaluator.rangeSource(args.get(matrixIndex));
        long[] ends = source.windowEnds();
        long range = source.rangeMillis();
        int steps = ends.length;
        int minimum = kind.minimumSamples();
        StepGrid grid = evaluator.grid();
        List<StepSeries> result = new ArrayList<>();
        boolean[] anyPresent = new boolean[steps];
        KahanSum first = new KahanSum();
        KahanSum second = new KahanSum();
        double[][] scratch = {new double[16]};
        boolean counterCheck = kind == RangeKind.RATE || kind == RangeKind.INCREASE;
        PositionRange argPosition = args.get(matrixIndex).position();
        double[] q = firstParam;
        double[] trend = secondParam;
        Set<String> checkedNames = new HashSet<>();
        int[][] resetsBefore = {new int[64]};
        source.forEachSeries((labels, ts, vs, length) -> {
            if (counterCheck && length > 0 && checkedNames.add(labels.getOrEmpty(Labels.METRIC_NAME))) {
                checkCounterName(labels, argPosition);
            }
            int[] resets = null;
            if (counterCheck) {
                // Prefix counts of counter resets let windows without a reset skip the per-sample scan.
                if (resetsBefore[0].length < length) {
                    resetsBefore[0] = new int[Math.max(length, resetsBefore[0].length * 2)];
                }
                resets = resetsBefore[0];
                int count = 0;
                for (int i = 0; i < length; i++) {
                    if (i > 0 && vs[i] < vs[i - 1]) {
                        count++;
                    }
                    resets[i] = count;
                }
            }
            StepSeries out = null;
            int from = 0;
            int to = 0;
            for (int step = 0; step < steps; step++) {
                long end = ends[step];
                long start = end - range;
                while (to < length && ts[to] <= end) {
                    to++;
                }
                while (from < length && ts[from] <= start) {
                    from++;
                }
                int count = to - from;
                if (count <= 0) {
                    continue;
                }
                anyPresent[step] = true;
                if (count < minimum || kind == RangeKind.ABSENT) {
                    continue;
                }
                if (kind == RangeKind.QUANTILE && scratch[0].length < count) {
                    scratch[0] = new double[Math.max(count, scratch[0].length * 2)];
                } else if (kind == RangeKind.MAD && scratch[0].length < count) {
                    scratch[0] = new double[Math.max(count, scratch[0].length * 2)];
                }
                double value = switch (kind) {
                    case RATE -> RangeFunctions.extrapolatedRate(ts, vs, from, to, start, end, true, true,
                            resets[to - 1] != resets[from]);
                    case INCREASE -> RangeFunctions.extrapolatedRate(ts, vs, from, to, start, end, true, false,
                            resets[to - 1] != resets[from]);
                    case DELTA -> RangeFunctions.extrapolatedRate(ts, vs, from, to, start, end, false, false);
                    case IRATE -> RangeFunctions.instantRate(ts, vs, from, to, true);
                    case IDELTA -> RangeFunctions.instantRate(ts, vs, from, to, false);
                    case DERIV -> RangeFunctions.deriv(ts, vs, from, to);
                    case PREDICT_LINEAR -> RangeFunctions.predictLinear(ts, vs, from, to, grid.time(step),
                            q[step]);
                    case DOUBLE_EXPONENTIAL_SMOOTHING ->
                            RangeFunctions.doubleExponentialSmoothing(vs, from, to, q[step], trend[step]);
                    case SUM -> RangeFunctions.sumOverTime(vs, from, to, first);
                    case AVG -> RangeFunctions.avgOverTime(vs, from, to, first);
                    case MIN -> RangeFunctions.minOverTime(vs, from, to);
                    case MAX -> RangeFunctions.maxOverTime(vs, from, to);
                    case COUNT -> count;
                    case STDDEV -> RangeFunctions.stddevOverTime(vs, from, to, first, second);
                    case STDVAR -> RangeFunctions.stdvarOverTime(vs, from, to, first, second);
                    case QUANTILE -> RangeFunctions.quantileOverTime(q[step], vs, from, to, scratch[0]);
                    case MAD -> RangeFunctions.madOverTime(vs, from, to, scratch[0]);
                    case LAST -> vs[to - 1];
                    case FIRST -> vs[from];
                    case PRESENT -> 1;
                    case CHANGES -> RangeFunctions.changes(vs, from, to);
                    case RESETS -> RangeFunctions.resets(vs, from, to);
                    case TS_OF_FIRST -> ts[from] / 1000.0;
                    case TS_OF_LAST -> ts[to - 1] / 1000.0;
                    case TS_OF_MIN -> extremeTimestamp(ts, vs, from, to, false);
                    case TS_OF_MAX -> extremeTimestamp(ts, vs, from, to, true);
                    case ABSENT -> throw new IllegalStateException("handled above");
                };
                if (out == null) {
                    out = new StepSeries(kind.keepsMetricName() ? labels : LabelOps.dropMetricName(labels), steps);
                }
                out.set(step, value);
            }
            if (out != null) {
                context.addSamples(out.count());
                result.add(out);
            }
        });
        if (kind == RangeKind.ABSENT) {
            StepSeries absent = evaluator.newSeries(absentLabels(args.get(0)));
            for (int step = 0; step < steps; step++) {
                if (!anyPresent[step]) {
                    absent.set(step, 1);
                }
            }
            return new Operand.Vector(absent.isEmpty() ? List.of() : List.of(absent));
        }
        return new Operand.Vector(kind.keepsMetricName() ? result : Vectors.mergeSameLabels(result));
    }

    private static double extremeTimestamp(long[] ts, double[] vs, int from, int to, boolean max) {
        double best = vs[from];
        long bestTime = ts[from];
        for (int i = from + 1; i < to; i++) {
            double v = vs[i];
            boolean better = max ? v >= best : v <= best;
            if (better || Double.isNaN(best)) {
                best = v;
                bestTime = ts[i];
            }
        }
        return bestTime / 1000.0;
    }

    private void checkCounterName(Labels labels, PositionRange position) {
        String metricName = labels.metricName();
        if (metricName != null && !metricName.endsWith("_total") && !metricName.endsWith("_sum")
                && !metricName.endsWith("_count") && !metricName.endsWith("_bucket")) {
            context.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                    + metricName + "\"", position);
        }
    }

    private void warnQuantileRange(double[] q, PositionRange position) {
        for (double value : q) {
            if (value < 0 || value > 1) {
                context.warn("quantile value should be between 0 and 1, got " + GoFloats.general(value), position);
            }
        }
    }

    private static void validateSmoothing(double[] smoothing, double[] trend) {
        for (int i = 0; i < smoothing.length; i++) {
            if (!(smoothing[i] > 0 && smoothing[i] < 1)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", smoothing[i]));
            }
            if (!(trend[i] > 0 && trend[i] < 1)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", trend[i]));
            }
        }
    }

    private Operand elementWise(List<StepSeries> input, DoubleUnaryOperator function) {
        for (StepSeries series : input) {
            context.checkAlive();
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                series.set(step, function.applyAsDouble(series.value(step)));
            }
            series.labels(LabelOps.dropMetricName(series.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    private Operand dateFunction(List<Expr> args, DoubleUnaryOperator function) {
        if (args.isEmpty()) {
            Operand.Scalar times = scalarFromSteps(evaluator.grid(), true);
            return elementWise(List.of(seriesOf(Labels.EMPTY, times.values())), function);
        }
        return elementWise(evaluator.vector(args.get(0)), function);
    }

    private Operand round(List<Expr> args) {
        List<StepSeries> input = evaluator.vector(args.get(0));
        double[] toNearest = args.size() > 1 ? evaluator.scalar(args.get(1)) : null;
        for (StepSeries series : input) {
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                series.set(step, MathFunctions.round(series.value(step), toNearest == null ? 1 : toNearest[step]));
            }
            series.labels(LabelOps.dropMetricName(series.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    private Operand clamp(List<Expr> args) {
        List<StepSeries> input = evaluator.vector(args.get(0));
        double[] min = evaluator.scalar(args.get(1));
        double[] max = evaluator.scalar(args.get(2));
        for (StepSeries series : input) {
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                if (max[step] < min[step]) {
                    series.remove(step);
                } else {
                    series.set(step, Math.max(min[step], Math.min(max[step], series.value(step))));
                }
            }
            series.labels(LabelOps.dropMetricName(series.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(withoutEmpty(input)));
    }

    private Operand clampBound(List<Expr> args, boolean lowerBound) {
        List<StepSeries> input = evaluator.vector(args.get(0));
        double[] bound = evaluator.scalar(args.get(1));
        for (StepSeries series : input) {
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                double v = series.value(step);
                series.set(step, lowerBound ? Math.max(bound[step], v) : Math.min(bound[step], v));
            }
            series.labels(LabelOps.dropMetricName(series.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    static List<StepSeries> withoutEmpty(List<StepSeries> series) {
        List<StepSeries> result = new ArrayList<>(series.size());
        for (StepSeries s : series) {
            if (!s.isEmpty()) {
                result.add(s);
            }
        }
        return result;
    }

    private Operand.Scalar scalarFromSteps(StepGrid grid, boolean seconds) {
        double[] values = new double[grid.steps()];
        for (int i = 0; i < values.length; i++) {
            values[i] = seconds ? grid.time(i) / 1000.0 : grid.time(i);
        }
        return new Operand.Scalar(values);
    }

    private Operand constant(double value) {
        double[] values = new double[evaluator.grid().steps()];
        Arrays.fill(values, value);
        return new Operand.Scalar(values);
    }

    private StepSeries seriesOf(Labels labels, double[] values) {
        StepSeries series = evaluator.newSeries(labels);
        for (int i = 0; i < values.length; i++) {
            series.set(i, values[i]);
        }
        return series;
    }

    private Operand vectorOf(double[] values) {
        return new Operand.Vector(List.of(seriesOf(Labels.EMPTY, values)));
    }

    private Operand scalarOf(List<StepSeries> input) {
        int steps = evaluator.grid().steps();
        double[] values = new double[steps];
        for (int step = 0; step < steps; step++) {
            int found = 0;
            double value = Double.NaN;
            for (StepSeries series : input) {
                if (series.has(step)) {
                    found++;
                    value = series.value(step);
                }
            }
            values[step] = found == 1 ? value : Double.NaN;
        }
        return new Operand.Scalar(values);
    }

    private Operand timestamp(Expr arg) {
        Expr unwrapped = Evaluator.unwrapParens(arg);
        List<StepSeries> input;
        if (unwrapped instanceof VectorSelector selector) {
            input = evaluator.reader().instantVector(selector,
                    evaluator.windowEnds(selector.at(), selector.offsetMillis()), true);
        } else {
            input = evaluator.vector(arg);
            StepGrid grid = evaluator.grid();
            for (StepSeries series : input) {
                for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                    series.set(step, grid.time(step) / 1000.0);
                }
            }
        }
        for (StepSeries series : input) {
            series.labels(LabelOps.dropMetricName(series.labels()));
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    private Operand absent(Expr arg) {
        List<StepSeries> input = evaluator.vector(arg);
        StepSeries absent = evaluator.newSeries(absentLabels(arg));
        for (int step = 0; step < absent.steps(); step++) {
            boolean any = false;
            for (StepSeries series : input) {
                if (series.has(step)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                absent.set(step, 1);
            }
        }
        return new Operand.Vector(absent.isEmpty() ? List.of() : List.of(absent));
    }

    /** Labels of absent()'s result: the selector's equality matchers, except the name and repeated labels. */
    private static Labels absentLabels(Expr arg) {
        List<LabelMatcher> matchers;
        if (arg instanceof VectorSelector selector) {
            matchers = selector.matchers();
        } else if (arg instanceof MatrixSelector matrix) {
            matchers = matrix.vectorSelector().matchers();
        } else {
            return Labels.EMPTY;
        }
        Labels.Builder builder = Labels.builder();
        Set<String> seen = new HashSet<>();
        for (LabelMatcher matcher : matchers) {
            if (matcher.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            // A label constrained by anything but a single equality matcher is left out.
            if (matcher.type() == LabelMatcher.Type.EQUAL && seen.add(matcher.name())) {
                builder.set(matcher.name(), matcher.value());
            } else {
                seen.add(matcher.name());
                builder.remove(matcher.name());
            }
        }
        return builder.build();
    }

    private Operand nativeHistogramOnly(List<Expr> args) {
        // Storage holds float samples only; these functions ignore floats, so the result is empty.
        evaluator.vector(args.get(0));
        return new Operand.Vector(List.of());
    }
}
