package io.kprom.promql.engine;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Expr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code label_replace}, {@code label_join} and the {@code sort*} functions. */
final class LabelFunctions {
    private final Evaluator evaluator;

    LabelFunctions(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    Operand labelReplace(List<Expr> args) {
        List<StepSeries> input = evaluator.vector(args.get(0));
        String destination = evaluator.string(args.get(1));
        String replacement = evaluator.string(args.get(2));
        String source = evaluator.string(args.get(3));
        String regex = evaluator.string(args.get(4));
        Pattern pattern;
        try {
            pattern = Pattern.compile("^(?s:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "invalid regular expression in label_replace(): " + regex);
        }
        if (!LabelOps.isValidLabelName(destination)) {
            throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "invalid destination label name in label_replace(): " + destination);
        }
        for (StepSeries series : input) {
            Labels labels = series.labels();
            Matcher matcher = pattern.matcher(labels.getOrEmpty(source));
            if (matcher.matches()) {
                String value = io.kprom.common.relabel.Relabeler.expand(replacement, matcher);
                series.labels(labels.toBuilder().set(destination, value).build());
            }
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    Operand labelJoin(List<Expr> args) {
        List<StepSeries> input = evaluator.vector(args.get(0));
        String destination = evaluator.string(args.get(1));
        String separator = evaluator.string(args.get(2));
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < args.size(); i++) {
            String source = evaluator.string(args.get(i));
            if (!LabelOps.isValidLabelName(source)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "invalid source label name in label_join(): " + source);
            }
            sources.add(source);
        }
        if (!LabelOps.isValidLabelName(destination)) {
            throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "invalid destination label name in label_join(): " + destination);
        }
        for (StepSeries series : input) {
            Labels labels = series.labels();
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    joined.append(separator);
                }
                joined.append(labels.getOrEmpty(sources.get(i)));
            }
            series.labels(labels.toBuilder().set(destination, joined.toString()).build());
        }
        return new Operand.Vector(Vectors.mergeSameLabels(input));
    }

    /** Orders the vector of an instant query; range query results have no order, so they pass unchanged. */
    Operand sort(String name, List<Expr> args) {
        List<StepSeries> input = new ArrayList<>(evaluator.vector(args.get(0)));
        if (evaluator.grid().steps() != 1) {
            return new Operand.Vector(input);
        }
        Comparator<StepSeries> order = switch (name) {
            case "sort" -> byValue(false);
            case "sort_desc" -> byValue(true);
            default -> byLabelValues(labelArgs(args), name.endsWith("_desc"));
        };
        input.sort(order);
        return new Operand.Vector(input);
    }

    private List<String> labelArgs(List<Expr> args) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            names.add(evaluator.string(args.get(i)));
        }
        return names;
    }

    /** By value at the single step, NaN last in both directions (as Prometheus). */
    private static Comparator<StepSeries> byValue(boolean descending) {
        return (a, b) -> {
            double x = a.value(0);
            double y = b.value(0);
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return descending ? Double.compare(y, x) : Double.compare(x, y);
        };
    }

    private static Comparator<StepSeries> byLabelValues(List<String> names, boolean descending) {
        Comparator<StepSeries> comparator = (a, b) -> {
            for (String name : names) {
                int cmp = NaturalOrder.compare(a.labels().getOrEmpty(name), b.labels().getOrEmpty(name));
                if (cmp != 0) {
                    return cmp;
                }
            }
            return a.labels().compareTo(b.labels());
        };
        return descending ? comparator.reversed() : comparator;
    }
}
