package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.functions.ClassicHistograms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic buckets: series are grouped
 * by their labels without {@code le} and the metric name once, then each step combines the buckets
 * present at that step.
 */
final class HistogramFunctions {
    private static final Set<String> BUCKET_AND_NAME = Set.of("le", Labels.METRIC_NAME);

    private final Evaluator evaluator;
    private final EvaluationContext context;

    HistogramFunctions(Evaluator evaluator) {
        this.evaluator = evaluator;
        this.context = evaluator.context();
    }

    Operand quantile(Call call) {
        List<Expr> args = call.args();
        double[] q = evaluator.scalar(args.get(0));
        for (double value : q) {
            if (value < 0 || value > 1) {
                context.warn("quantile value should be between 0 and 1, got " + GoFloats.general(value),
                        args.get(0).position());
            }
        }
        List<StepSeries> input = evaluator.vector(args.get(1));
        return evaluate(input, args.get(1), (buckets, step) -> buckets.quantile(q[step]), true);
    }

    Operand fraction(Call call) {
        List<Expr> args = call.args();
        double[] lower = evaluator.scalar(args.get(0));
        double[] upper = evaluator.scalar(args.get(1));
        List<StepSeries> input = evaluator.vector(args.get(2));
        return evaluate(input, args.get(2), (buckets, step) -> buckets.fraction(lower[step], upper[step]), false);
    }

    private interface BucketFunction {
        double apply(ClassicHistograms buckets, int step);
    }

    private static final class Group {
        final Labels labels;
        final String metricName;
        final List<StepSeries> members = new ArrayList<>();
        final List<Double> upperBounds = new ArrayList<>();

        Group(Labels labels, String metricName) {
            this.labels = labels;
            this.metricName = metricName;
        }
    }

    private Operand evaluate(List<StepSeries> input, Expr bucketsExpr, BucketFunction function, boolean isQuantile) {
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (StepSeries series : input) {
            Labels labels = series.labels();
            String le = labels.get("le");
            double upperBound = le == null ? Double.NaN : parseBound(le);
            if (Double.isNaN(upperBound)) {
                context.warn("bucket label \"le\" is missing or has a malformed value of \"" + (le == null ? "" : le)
                        + "\" for metric name \"" + labels.getOrEmpty(Labels.METRIC_NAME) + "\"",
                        bucketsExpr.position());
                continue;
            }
            Labels key = LabelOps.without(labels, BUCKET_AND_NAME);
            Group group = groups.computeIfAbsent(key, k -> new Group(k, labels.getOrEmpty(Labels.METRIC_NAME)));
            group.members.add(series);
            group.upperBounds.add(upperBound);
        }
        context.releaseSamples(Vectors.points(input));
        ClassicHistograms buckets = new ClassicHistograms();
        List<StepSeries> result = new ArrayList<>(groups.size());
        int steps = evaluator.grid().steps();
        for (Group group : groups.values()) {
            context.checkAlive();
            StepSeries out = null;
            int memberCount = group.members.size();
            double[] bounds = new double[memberCount];
            for (int m = 0; m < memberCount; m++) {
                bounds[m] = group.upperBounds.get(m);
            }
            for (int step = 0; step < steps; step++) {
                buckets.clear();
                for (int m = 0; m < memberCount; m++) {
                    StepSeries member = group.members.get(m);
                    if (member.has(step)) {
                        buckets.add(bounds[m], member.value(step));
                    }
                }
                if (buckets.size() == 0) {
                    continue;
                }
                double value = function.apply(buckets, step);
                if (isQuantile && buckets.forcedMonotonic()) {
                    context.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                            + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
                            + "for metric name \"" + group.metricName + "\"", bucketsExpr.position());
                }
                if (out == null) {
                    out = evaluator.newSeries(group.labels);
                }
                out.set(step, value);
            }
            if (out != null) {
                context.addSamples(out.count());
                result.add(out);
            }
        }
        return new Operand.Vector(result);
    }

    /** Go's {@code strconv.ParseFloat} for bucket bounds, including {@code +Inf}; NaN when malformed. */
    static double parseBound(String text) {
        String trimmed = text.trim();
        switch (trimmed.toLowerCase()) {
            case "+inf", "inf", "+infinity", "infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        try {
            if (!trimmed.equals(text) || trimmed.isEmpty() || trimmed.endsWith("d") || trimmed.endsWith("f")
                    || trimmed.endsWith("D") || trimmed.endsWith("F")) {
                return Double.NaN;
            }
            return Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
