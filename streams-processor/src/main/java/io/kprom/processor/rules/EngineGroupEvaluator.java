package io.kprom.processor.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Queryable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link GroupEvaluator} over any {@link QueryEngine}: each rule is an instant query at the query
 * time over the window plus the earlier rules' results; results are renamed and labelled as
 * Prometheus's recording rules do (duplicate label sets after that, or more series than the
 * group's {@code limit}, fail the rule). Thread-safe when the engine is.
 */
public final class EngineGroupEvaluator implements GroupEvaluator {
    private final QueryEngine engine;
    private final QueryOptions options;

    public EngineGroupEvaluator(QueryEngine engine, QueryOptions options) {
        this.engine = engine;
        this.options = options;
    }

    @Override
    public Result evaluate(RecordingGroup group, Queryable data, long queryTimeMillis) {
        List<Value.Sample> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        InMemoryQuerier earlier = new InMemoryQuerier();
        for (RecordingRule rule : group.rules()) {
            try {
                List<Value.Sample> samples = evaluateRule(group, rule, data, earlier, queryTimeMillis);
                for (Value.Sample sample : samples) {
                    earlier.append(sample.labels(), sample.timestampMillis(), sample.value());
                }
                all.addAll(samples);
            } catch (RuntimeException e) {
                failures.add(rule.record() + ": " + e.getMessage());
            }
        }
        return new Result(all, failures);
    }

    private List<Value.Sample> evaluateRule(RecordingGroup group, RecordingRule rule, Queryable data,
            InMemoryQuerier earlier, long time) {
        Queryable withEarlier = (min, max) -> new MergedQuerier(data.querier(min, max), earlier);
        QueryResult result = engine.instantQuery(withEarlier, rule.expr(), time, options);
        List<Value.Sample> input;
        if (result.value() instanceof Value.VectorValue vector) {
            input = vector.samples();
        } else if (result.value() instanceof Value.ScalarValue scalar) {
            input = List.of(new Value.Sample(Labels.EMPTY, time, scalar.value()));
        } else {
            throw new IllegalStateException("rule result is not a vector or scalar: " + result.value().resultType());
        }
        List<Value.Sample> output = new ArrayList<>(input.size());
        Set<Labels> seen = new HashSet<>();
        for (Value.Sample sample : input) {
            Labels.Builder builder = sample.labels().toBuilder().set(Labels.METRIC_NAME, rule.record());
            rule.labels().forEach(builder::set);
            Labels labels = builder.build();
            if (!seen.add(labels)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
            }
            output.add(new Value.Sample(labels, time, sample.value()));
        }
        if (group.limit() > 0 && output.size() > group.limit()) {
            throw new IllegalStateException("exceeded limit of " + group.limit() + " with " + output.size() + " series");
        }
        return output;
    }
}
