package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recording rule: runs its expression and renames each result series to the rule name with the
 * rule's labels set, as Prometheus does. Thread-safety as {@link Rule}.
 */
public final class RecordingRule implements Rule {
    private final RuleSpec.Recording spec;
    final RuleStatus status = new RuleStatus();

    public RecordingRule(RuleSpec.Recording spec) {
        this.spec = spec;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public RuleSpec.Recording spec() {
        return spec;
    }

    @Override
    public List<Value.Sample> evaluate(RuleEvaluation evaluation) {
        List<Value.Sample> vector = evaluation.query().query(spec.expr(), evaluation.queryTimeMillis());
        List<Value.Sample> result = new ArrayList<>(vector.size());
        Set<Labels> seen = new HashSet<>();
        for (Value.Sample sample : vector) {
            Labels.Builder builder = sample.labels().toBuilder().set(Labels.METRIC_NAME, spec.name());
            spec.labels().forEach(builder::set);
            Labels labels = builder.build();
            if (!seen.add(labels)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
            }
            result.add(new Value.Sample(labels, evaluation.queryTimeMillis(), sample.value()));
        }
        if (evaluation.limit() > 0 && result.size() > evaluation.limit()) {
            throw new IllegalStateException("exceeded limit of " + evaluation.limit() + " with " + result.size()
                    + " series");
        }
        return result;
    }

    @Override
    public RuleHealth health() {
        return status.health();
    }

    @Override
    public String lastError() {
        return status.lastError();
    }

    @Override
    public long lastEvaluationMillis() {
        return status.lastEvaluationMillis();
    }

    @Override
    public long evaluationDurationNanos() {
        return status.evaluationDurationNanos();
    }
}
