package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AggregateOp;
import io.kprom.promql.functions.Quantiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators. Each input series is assigned to its group once; accumulators are
 * per-group arrays indexed by step, so the inner loops touch only primitives.
 */
final class Aggregations {
    private final Evaluator evaluator;
    private final EvaluationContext context;
    private final int steps;

    Aggregations(Evaluator evaluator) {
        this.evaluator = evaluator;
        this.context = evaluator.context();
        this.steps = evaluator.grid().steps();
    }

    /** Series assigned to groups. */
    private static final class Grouping {
        final int[] groupOf;
        final List<Labels> groupLabels = new ArrayList<>();
        final List<int[]> members = new ArrayList<>();

        Grouping(int size) {
            groupOf = new int[size];
        }

        int groups() {
            return groupLabels.size();
        }
    }

    Operand evaluate(AggregateExpr node) {
        AggregateOp op = node.op();
        double[] param = null;
        String labelParam = null;
        if (op == AggregateOp.COUNT_VALUES) {
            labelParam = evaluator.string(node.param());
            if (!LabelOps.isValidLabelName(labelParam)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION, "invalid label name \"" + labelParam + "\"");
            }
        } else if (op.hasParam()) {
            param = evaluator.scalar(node.param());
        }
        List<StepSeries> input = evaluator.vector(node.expr());
        Grouping grouping = group(input, node);
        List<StepSeries> result = switch (op) {
            case SUM, AVG, COUNT, GROUP, MIN, MAX, STDDEV, STDVAR -> accumulate(op, input, grouping);
            case QUANTILE -> quantile(param, input, grouping, node);
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> select(op, param, input, grouping, node);
            case COUNT_VALUES -> countValues(labelParam, input, grouping);
        };
        context.addSamples(Vectors.points(result));
        // The input is consumed: its points no longer count towards the query's samples in memory.
        context.releaseSamples(Vectors.points(input));
        return new Operand.Vector(result);
    }

    private Grouping group(List<StepSeries> input, AggregateExpr node) {
        Set<String> names = new HashSet<>(node.grouping());
        Grouping grouping = new Grouping(input.size());
        Map<Labels, Integer> index = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            Labels labels = input.get(i).labels();
            Labels key = node.without() ? LabelOps.withoutAndName(labels, names) : LabelOps.keep(labels, names);
            Integer group = index.get(key);
            if (group == null) {
                group = grouping.groupLabels.size();
                index.put(key, group);
                grouping.groupLabels.add(key);
                members.add(new ArrayList<>());
            }
            grouping.groupOf[i] = group;
            members.get(group).add(i);
        }
        for (List<Integer> list : members) {
            grouping.members.add(list.stream().mapToInt(Integer::intValue).toArray());
        }
        return grouping;
    }

    private List<StepSeries> accumulate(AggregateOp op, List<StepSeries> input, Grouping grouping) {
        int groups = grouping.groups();
        StepSeries[] outputs = new StepSeries[groups];
        double[][] value = new double[groups][];
        double[][] compensation = new double[groups][];
        double[][] mean = new double[groups][];
        double[][] count = new double[groups][];
        boolean[][] incremental = new boolean[groups][];
        for (int i = 0; i < input.size(); i++) {
            context.checkAlive();
            StepSeries series = input.get(i);
            int g = grouping.groupOf[i];
            if (outputs[g] == null) {
                outputs[g] = evaluator.newSeries(grouping.groupLabels.get(g));
                value[g] = new double[steps];
                count[g] = new double[steps];
                if (op == AggregateOp.SUM || op == AggregateOp.AVG) {
                    compensation[g] = new double[steps];
                }
                if (op == AggregateOp.AVG || op == AggregateOp.STDDEV || op == AggregateOp.STDVAR) {
                    mean[g] = new double[steps];
                }
                if (op == AggregateOp.AVG) {
                    incremental[g] = new boolean[steps];
                }
            }
            StepSeries out = outputs[g];
            double[] v = value[g];
            double[] c = compensation[g];
            double[] n = count[g];
            double[] m = mean[g];
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                double f = series.value(step);
                boolean first = !out.has(step);
                out.set(step, 0);
                n[step]++;
                switch (op) {
                    case SUM -> kahanAdd(v, c, step, f);
                    case AVG -> addToMean(v, c, m, n, incremental[g], step, f);
                    case MIN -> {
                        if (first || f < v[step] || Double.isNaN(v[step])) {
                            v[step] = f;
                        }
                    }
                    case MAX -> {
                        if (first || f > v[step] || Double.isNaN(v[step])) {
                            v[step] = f;
                        }
                    }
                    case STDDEV, STDVAR -> {
                        if (first) {
                            m[step] = f;
                            v[step] = 0;
                        } else {
                            double delta = f - m[step];
                            m[step] += delta / n[step];
                            v[step] += delta * (f - m[step]);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        List<StepSeries> result = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            StepSeries out = outputs[g];
            if (out == null) {
                continue;
            }
            for (int step = out.nextPresent(0); step >= 0; step = out.nextPresent(step + 1)) {
                double f = switch (op) {
                    case SUM -> Double.isInfinite(value[g][step]) ? value[g][step]
                            : value[g][step] + compensation[g][step];
                    case AVG -> incremental[g][step] ? mean[g][step] + compensation[g][step]
                            : value[g][step] / count[g][step] + compensation[g][step] / count[g][step];
                    case COUNT -> count[g][step];
                    case GROUP -> 1;
                    case MIN, MAX -> value[g][step];
                    case STDVAR -> value[g][step] / count[g][step];
                    case STDDEV -> Math.sqrt(value[g][step] / count[g][step]);
                    default -> throw new IllegalStateException(op.keyword());
                };
                out.set(step, f);
            }
            result.add(out);
        }
        return result;
    }

    private static void kahanAdd(double[] sum, double[] compensation, int step, double increment) {
        double s = sum[step];
        double t = s + increment;
        if (Double.isInfinite(t)) {
            compensation[step] = 0;
        } else if (Math.abs(s) >= Math.abs(increment)) {
            compensation[step] += (s - t) + increment;
        } else {
            compensation[step] += (increment - t) + s;
        }
        sum[step] = t;
    }

    /** Prometheus's avg: a compensated sum, switching to an incremental mean once the sum would overflow. */
    private static void addToMean(double[] sum, double[] compensation, double[] mean, double[] count,
            boolean[] incremental, int step, double f) {
        double n = count[step];
        if (!incremental[step]) {
            double s = sum[step];
            double t = s + f;
            if (!Double.isInfinite(t) || n == 1) {
                kahanAdd(sum, compensation, step, f);
                return;
            }
            incremental[step] = true;
            mean[step] = s / (n - 1);
            compensation[step] /= n - 1;
        }
        double q = (n - 1) / n;
        double[] scaledMean = {q * mean[step]};
        double[] scaledCompensation = {q * compensation[step]};
        kahanAdd(scaledMean, scaledCompensation, 0, f / n);
        mean[step] = scaledMean[0];
        compensation[step] = scaledCompensation[0];
    }

    private List<StepSeries> quantile(double[] q, List<StepSeries> input, Grouping grouping, AggregateExpr node) {
        for (double value : q) {
            if (value < 0 || value > 1) {
                context.warn("quantile value should be between 0 and 1, got " + GoFloats.general(value),
                        node.param().position());
            }
        }
        int groups = grouping.groups();
        List<StepSeries> result = new ArrayList<>(groups);
        double[] scratch = new double[16];
        for (int g = 0; g < groups; g++) {
            int[] members = grouping.members.get(g);
            if (scratch.length < members.length) {
                scratch = new double[members.length];
            }
            StepSeries out = evaluator.newSeries(grouping.groupLabels.get(g));
            for (int step = 0; step < steps; step++) {
                int n = 0;
                for (int member : members) {
                    StepSeries series = input.get(member);
                    if (series.has(step)) {
                        scratch[n++] = series.value(step);
                    }
                }
                if (n > 0) {
                    out.set(step, Quantiles.quantile(q[step], scratch, n));
                }
            }
            if (!out.isEmpty()) {
                result.add(out);
            }
        }
        return result;
    }

    private List<StepSeries> select(AggregateOp op, double[] param, List<StepSeries> input, Grouping grouping,
            AggregateExpr node) {
        StepSeries[] outputs = new StepSeries[input.size()];
        int[] candidates = new int[input.size()];
        Integer[] order = new Integer[input.size()];
        double[] ratioOffsets = null;
        if (op == AggregateOp.LIMIT_RATIO) {
            ratioOffsets = new double[input.size()];
            for (int i = 0; i < input.size(); i++) {
                ratioOffsets[i] = (input.get(i).labels().stableHash() & 0xffffffffL) / (double) (1L << 32);
            }
        }
        for (int step = 0; step < steps; step++) {
            context.checkAlive();
            double p = param[step];
            if (Double.isNaN(p) && op != AggregateOp.LIMIT_RATIO) {
                throw new QueryException(QueryException.ErrorType.EXECUTION, "Parameter value is NaN");
            }
            if (op != AggregateOp.LIMIT_RATIO && (p >= 0x1p63 || p < -0x1p63)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "Scalar value " + GoFloats.general(p) + " overflows int64");
            }
            if (op == AggregateOp.LIMIT_RATIO && (Double.isNaN(p) || p < -1 || p > 1)) {
                context.warn("ratio value should be between -1 and 1, got " + GoFloats.general(p),
                        node.param().position());
                p = Double.isNaN(p) ? 0 : Math.max(-1, Math.min(1, p));
            }
            long k = (long) p;
            for (int g = 0; g < grouping.groups(); g++) {
                int n = 0;
                for (int member : grouping.members.get(g)) {
                    if (input.get(member).has(step)) {
                        candidates[n++] = member;
                    }
                }
                if (n == 0) {
                    continue;
                }
                int chosen;
                switch (op) {
                    case TOPK, BOTTOMK -> {
                        if (k < 1) {
                            continue;
                        }
                        chosen = (int) Math.min(k, n);
                        for (int i = 0; i < n; i++) {
                            order[i] = candidates[i];
                        }
                        boolean top = op == AggregateOp.TOPK;
                        final int currentStep = step;
                        Arrays.sort(order, 0, n, (a, b) -> compareForSelection(
                                input.get(a).value(currentStep), input.get(b).value(currentStep), top));
                        for (int i = 0; i < chosen; i++) {
                            candidates[i] = order[i];
                        }
                    }
                    case LIMITK -> {
                        if (k < 1) {
                            continue;
                        }
                        chosen = (int) Math.min(k, n);
                    }
                    default -> {
                        chosen = 0;
                        for (int i = 0; i < n; i++) {
                            double offset = ratioOffsets[candidates[i]];
                            if (p >= 0 ? offset < p : offset >= 1 + p) {
                                candidates[chosen++] = candidates[i];
                            }
                        }
                    }
                }
                for (int i = 0; i < chosen; i++) {
                    int member = candidates[i];
                    if (outputs[member] == null) {
                        outputs[member] = evaluator.newSeries(input.get(member).labels());
                    }
                    outputs[member].set(step, input.get(member).value(step));
                }
            }
        }
        List<StepSeries> result = new ArrayList<>();
        for (int g = 0; g < grouping.groups(); g++) {
            List<StepSeries> groupResult = new ArrayList<>();
            for (int member : grouping.members.get(g)) {
                if (outputs[member] != null) {
                    groupResult.add(outputs[member]);
                }
            }
            if (steps == 1 && (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK)) {
                boolean top = op == AggregateOp.TOPK;
                groupResult.sort((a, b) -> compareForSelection(a.value(0), b.value(0), top));
            }
            result.addAll(groupResult);
        }
        return result;
    }

    /** Preferred first: larger for topk, smaller for bottomk; NaN always last. */
    private static int compareForSelection(double a, double b, boolean top) {
        boolean nanA = Double.isNaN(a);
        boolean nanB = Double.isNaN(b);
        if (nanA || nanB) {
            return Boolean.compare(nanA, nanB);
        }
        return top ? Double.compare(b, a) : Double.compare(a, b);
    }

    private List<StepSeries> countValues(String label, List<StepSeries> input, Grouping grouping) {
        Map<Labels, StepSeries> outputs = new LinkedHashMap<>();
        Map<Labels, Map<String, Labels>> labelCache = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            context.checkAlive();
            StepSeries series = input.get(i);
            Labels groupLabels = grouping.groupLabels.get(grouping.groupOf[i]);
            Map<String, Labels> byValue = labelCache.computeIfAbsent(groupLabels, k -> new HashMap<>());
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                String value = GoFloats.plain(series.value(step));
                Labels labels = byValue.computeIfAbsent(value,
                        v -> groupLabels.toBuilder().set(label, v).build());
                StepSeries out = outputs.computeIfAbsent(labels, evaluator::newSeries);
                out.set(step, out.has(step) ? out.value(step) + 1 : 1);
            }
        }
        return new ArrayList<>(outputs.values());
    }
}
