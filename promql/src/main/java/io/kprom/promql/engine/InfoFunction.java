package io.kprom.promql.engine;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experimental {@code info(v, [selector])}: enriches each series with the data labels of the info
 * series ({@code target_info} unless the selector names another) sharing its identifying labels
 * {@code job} and {@code instance} at the same step. Data-label matchers of the selector restrict which
 * labels are added; a series with no matching info series is kept unchanged unless such a matcher
 * requires a label.
 */
final class InfoFunction {
    private static final List<String> IDENTIFYING = List.of("instance", "job");

    private final Evaluator evaluator;

    InfoFunction(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    Operand evaluate(Call call) {
        List<Expr> args = call.args();
        List<StepSeries> input = evaluator.vector(args.get(0));
        List<LabelMatcher> infoMatchers = new ArrayList<>();
        List<LabelMatcher> dataMatchers = new ArrayList<>();
        if (args.size() > 1 && Evaluator.unwrapParens(args.get(1)) instanceof VectorSelector selector) {
            for (LabelMatcher matcher : selector.matchers()) {
                (matcher.name().equals(Labels.METRIC_NAME) ? infoMatchers : dataMatchers).add(matcher);
            }
        }
        if (infoMatchers.isEmpty()) {
            infoMatchers.add(LabelMatcher.equal(Labels.METRIC_NAME, "target_info"));
        }
        VectorSelector infoSelector = new VectorSelector(null, infoMatchers);
        List<StepSeries> infos = evaluator.reader().instantVector(infoSelector, evaluator.windowEnds(null, 0), false);
        Map<List<String>, List<StepSeries>> infosByIdentity = new HashMap<>();
        for (StepSeries info : infos) {
            if (matchesAll(info.labels(), dataMatchers)) {
                infosByIdentity.computeIfAbsent(identity(info.labels()), k -> new ArrayList<>()).add(info);
            }
        }
        boolean requiresData = dataMatchers.stream().anyMatch(m -> !m.matchesEmpty());
        Map<Labels, StepSeries> output = new LinkedHashMap<>();
        for (StepSeries series : input) {
            if (infoMatchers.stream().allMatch(m -> m.matches(series.labels()))) {
                put(output, series.labels(), series, -1);
                continue;
            }
            List<StepSeries> candidates = infosByIdentity.getOrDefault(identity(series.labels()), List.of());
            for (int step = series.nextPresent(0); step >= 0; step = series.nextPresent(step + 1)) {
                Labels enriched = null;
                for (StepSeries info : candidates) {
                    if (!info.has(step)) {
                        continue;
                    }
                    Labels candidate = enrich(series.labels(), info.labels(), dataMatchers);
                    if (enriched != null && !enriched.equals(candidate)) {
                        throw new QueryException(QueryException.ErrorType.EXECUTION,
                                "found duplicate series for info metric: " + series.labels());
                    }
                    enriched = candidate;
                }
                if (enriched == null) {
                    if (requiresData) {
                        continue;
                    }
                    enriched = series.labels();
                }
                put(output, enriched, series, step);
            }
        }
        return new Operand.Vector(new ArrayList<>(output.values()));
    }

    private void put(Map<Labels, StepSeries> output, Labels labels, StepSeries source, int step) {
        StepSeries target = output.computeIfAbsent(labels, evaluator::newSeries);
        if (step < 0) {
            if (!target.mergeFrom(source)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "vector cannot contain metrics with the same labelset");
            }
            return;
        }
        if (target.has(step)) {
            throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "vector cannot contain metrics with the same labelset");
        }
        target.set(step, source.value(step));
    }

    private static Labels enrich(Labels base, Labels info, List<LabelMatcher> dataMatchers) {
        Labels.Builder builder = base.toBuilder();
        for (int i = 0; i < info.size(); i++) {
            String name = info.name(i);
            if (name.equals(Labels.METRIC_NAME) || IDENTIFYING.contains(name) || base.has(name)) {
                continue;
            }
            if (!dataMatchers.isEmpty() && dataMatchers.stream().noneMatch(m -> m.name().equals(name))) {
                continue;
            }
            builder.set(name, info.value(i));
        }
        return builder.build();
    }

    private static List<String> identity(Labels labels) {
        List<String> values = new ArrayList<>(IDENTIFYING.size());
        for (String name : IDENTIFYING) {
            values.add(labels.getOrEmpty(name));
        }
        return values;
    }

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
