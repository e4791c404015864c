package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.BinaryOp;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.functions.MathFunctions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators. Vector matching computes each series' match signature once, then walks the
 * steps with integer signature ids, so per-step work is array lookups rather than label hashing.
 */
final class BinaryOperations {
    private final Evaluator evaluator;
    private final EvaluationContext context;
    private final int steps;

    BinaryOperations(Evaluator evaluator) {
        this.evaluator = evaluator;
        this.context = evaluator.context();
        this.steps = evaluator.grid().steps();
    }

    Operand evaluate(BinaryExpr node) {
        Operand lhs = evaluator.evaluate(node.lhs());
        Operand rhs = evaluator.evaluate(node.rhs());
        BinaryOp op = node.op();
        if (lhs instanceof Operand.Scalar left && rhs instanceof Operand.Scalar right) {
            double[] l = left.values();
            double[] r = right.values();
            for (int i = 0; i < l.length; i++) {
                l[i] = op.isComparison() ? (compare(op, l[i], r[i]) ? 1 : 0) : arithmetic(op, l[i], r[i]);
            }
            return left;
        }
        if (lhs instanceof Operand.Vector left && rhs instanceof Operand.Scalar right) {
            return vectorScalar(op, left.series(), right.values(), false, node.returnBool());
        }
        if (lhs instanceof Operand.Scalar left && rhs instanceof Operand.Vector right) {
            return vectorScalar(op, right.series(), left.values(), true, node.returnBool());
        }
        List<StepSeries> left = ((Operand.Vector) lhs).series();
        List<StepSeries> right = ((Operand.Vector) rhs).series();
        VectorMatching matching = node.matching() == null ? VectorMatching.oneToOne() : node.matching();
        return switch (op) {
            case AND -> and(left, right, matching, false);
            case UNLESS -> and(left, right, matching, true);
            case OR -> or(left, right, matching);
            default -> vectorVector(op, left, right, matching, node.returnBool());
        };
    }

    static double arithmetic(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r;
            case POW -> MathFunctions.pow(l, r);
            case ATAN2 -> Math.atan2(l, r);
            default -> throw new IllegalStateException("not arithmetic: " + op);
        };
    }

    static boolean compare(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    private Operand vectorScalar(BinaryOp op, List<StepSeries> vector, double[] scalar, boolean scalarOnLeft,
            boolean returnBool) {
        boolean dropName = !op.isComparison() || returnBool;
        for (StepSeries series : vector) {
            context.checkAlive();
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                double v = series.value(step);
                double l = scalarOnLeft ? scalar[step] : v;
                double r = scalarOnLeft ? v : scalar[step];
                if (!op.isComparison()) {
                    series.set(step, arithmetic(op, l, r));
                } else if (returnBool) {
                    series.set(step, compare(op, l, r) ? 1 : 0);
                } else if (!compare(op, l, r)) {
                    series.remove(step);
                }
            }
            if (dropName) {
                series.labels(LabelOps.dropMetricName(series.labels()));
            }
        }
        List<StepSeries> result = FunctionCalls.withoutEmpty(vector);
        return new Operand.Vector(dropName ? Vectors.mergeSameLabels(result) : result);
    }

    /** Signature ids of each series under the matching's on/ignoring labels. */
    private static final class Signatures {
        final Map<Labels, Integer> ids = new HashMap<>();
        final List<Labels> labels = new ArrayList<>();

        int[] assign(List<StepSeries> series, VectorMatching matching) {
            int[] result = new int[series.size()];
            for (int i = 0; i < result.length; i++) {
                Labels l = series.get(i).labels();
                Labels signature = matching.on() ? LabelOps.keep(l, matching.matchingLabels())
                        : LabelOps.withoutAndName(l, matching.matchingLabels());
                Integer id = ids.get(signature);
                if (id == null) {
                    id = labels.size();
                    ids.put(signature, id);
                    labels.add(signature);
                }
                result[i] = id;
            }
            return result;
        }
    }

    /** {@code and} (or {@code unless} when {@code invert}): lhs points whose signature is (not) on the right. */
    private Operand and(List<StepSeries> left, List<StepSeries> right, VectorMatching matching, boolean invert) {
        Signatures signatures = new Signatures();
        int[] leftSignature = signatures.assign(left, matching);
        int[] rightSignature = signatures.assign(right, matching);
        int[] seenAtStep = new int[signatures.labels.size()];
        for (int step = 0; step < steps; step++) {
            context.checkAlive();
            int stamp = step + 1;
            for (int r = 0; r < right.size(); r++) {
                if (right.get(r).has(step)) {
                    seenAtStep[rightSignature[r]] = stamp;
                }
            }
            for (int l = 0; l < left.size(); l++) {
                StepSeries series = left.get(l);
                if (series.has(step) && (seenAtStep[leftSignature[l]] == stamp) == invert) {
                    series.remove(step);
                }
            }
        }
        return new Operand.Vector(FunctionCalls.withoutEmpty(left));
    }

    private Operand or(List<StepSeries> left, List<StepSeries> right, VectorMatching matching) {
        Signatures signatures = new Signatures();
        int[] leftSignature = signatures.assign(left, matching);
        int[] rightSignature = signatures.assign(right, matching);
        int[] seenAtStep = new int[signatures.labels.size()];
        for (int step = 0; step < steps; step++) {
            context.checkAlive();
            int stamp = step + 1;
            for (int l = 0; l < left.size(); l++) {
                if (left.get(l).has(step)) {
                    seenAtStep[leftSignature[l]] = stamp;
                }
            }
            for (int r = 0; r < right.size(); r++) {
                StepSeries series = right.get(r);
                if (series.has(step) && seenAtStep[rightSignature[r]] == stamp) {
                    series.remove(step);
                }
            }
        }
        List<StepSeries> result = new ArrayList<>(left);
        result.addAll(FunctionCalls.withoutEmpty(right));
        return new Operand.Vector(Vectors.mergeSameLabels(result));
    }

    private Operand vectorVector(BinaryOp op, List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching matching,
            boolean returnBool) {
        VectorMatching.Cardinality cardinality = matching.cardinality();
        boolean swapped = cardinality == VectorMatching.Cardinality.ONE_TO_MANY;
        // After the swap "many" is the left side and "one" the right side.
        List<StepSeries> many = swapped ? rhs : lhs;
        List<StepSeries> one = swapped ? lhs : rhs;
        Signatures signatures = new Signatures();
        int[] manySignature = signatures.assign(many, matching);
        int[] oneSignature = signatures.assign(one, matching);
        int signatureCount = signatures.labels.size();
        int[] oneAt = new int[signatureCount];
        int[] oneStamp = new int[signatureCount];
        int[] matchedStamp = new int[signatureCount];
        Map<Long, StepSeries> outputs = new LinkedHashMap<>();
        Set<Labels> insertedAtStep = new HashSet<>();
        boolean oneToOne = cardinality == VectorMatching.Cardinality.ONE_TO_ONE;
        for (int step = 0; step < steps; step++) {
            context.checkAlive();
            int stamp = step + 1;
            for (int r = 0; r < one.size(); r++) {
                if (!one.get(r).has(step)) {
                    continue;
                }
                int signature = oneSignature[r];
                if (oneStamp[signature] == stamp) {
                    throw new QueryException(QueryException.ErrorType.EXECUTION, "found duplicate series for the match group "
                            + signatures.labels.get(signature) + " on the " + (swapped ? "left" : "right")
                            + " hand-side of the operation: [" + one.get(r).labels() + ", "
                            + one.get(oneAt[signature]).labels()
                            + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
                oneStamp[signature] = stamp;
                oneAt[signature] = r;
            }
            insertedAtStep.clear();
            for (int l = 0; l < many.size(); l++) {
                StepSeries manySeries = many.get(l);
                if (!manySeries.has(step)) {
                    continue;
                }
                int signature = manySignature[l];
                if (oneStamp[signature] != stamp) {
                    continue;
                }
                int r = oneAt[signature];
                StepSeries oneSeries = one.get(r);
                double fl = manySeries.value(step);
                double fr = oneSeries.value(step);
                if (swapped) {
                    double t = fl;
                    fl = fr;
                    fr = t;
                }
                double value;
                if (op.isComparison()) {
                    boolean keep = compare(op, fl, fr);
                    if (returnBool) {
                        value = keep ? 1 : 0;
                    } else if (!keep) {
                        continue;
                    } else {
                        value = fl;
                    }
                } else {
                    value = arithmetic(op, fl, fr);
                }
                long pair = ((long) l << 32) | r;
                StepSeries out = outputs.get(pair);
                if (out == null) {
                    out = evaluator.newSeries(resultLabels(manySeries.labels(), oneSeries.labels(), op, matching,
                            returnBool));
                    outputs.put(pair, out);
                }
                if (oneToOne) {
                    if (matchedStamp[signature] == stamp) {
                        throw new QueryException(QueryException.ErrorType.EXECUTION,
                                "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                    }
                    matchedStamp[signature] = stamp;
                } else if (!insertedAtStep.add(out.labels())) {
                    throw new QueryException(QueryException.ErrorType.EXECUTION,
                            "multiple matches for labels: grouping labels must ensure unique matches");
                }
                out.set(step, value);
            }
        }
        List<StepSeries> result = new ArrayList<>(outputs.values());
        context.addSamples(Vectors.points(result));
        context.releaseSamples(Vectors.points(lhs) + Vectors.points(rhs));
        return new Operand.Vector(Vectors.mergeSameLabels(result));
    }

    private static Labels resultLabels(Labels many, Labels one, BinaryOp op, VectorMatching matching,
            boolean returnBool) {
        Labels result = many;
        if (!op.isComparison() || returnBool) {
            result = LabelOps.dropMetricName(result);
        }
        if (matching.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            result = matching.on() ? LabelOps.keep(result, matching.matchingLabels())
                    : LabelOps.without(result, matching.matchingLabels());
        }
        if (!matching.include().isEmpty()) {
            Labels.Builder builder = result.toBuilder();
            for (String name : matching.include()) {
                String value = one.get(name);
                if (value != null && !value.isEmpty()) {
                    builder.set(name, value);
                } else {
                    builder.remove(name);
                }
            }
            result = builder.build();
        }
        return result;
    }
}
