package io.kprom.evaluator;

import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleResultAppender;
import io.kprom.promql.rules.RuleSpec;
import java.util.HashSet;
import java.util.Set;

/**
 * What the evaluator writes of a group's results: only what its alerting rules produce ({@code ALERTS},
 * {@code ALERTS_FOR_STATE} and their stale markers). The group's recording rules are still evaluated, so a later
 * alerting rule of the same group sees their results (the rule engine's overlay), but their samples are not
 * written: the processor's rule stage records them, at its own query offset. Two writers of one series with
 * different timestamps made the TSDB reject the older writer's samples as out of order. Skipped samples are
 * counted in {@code kprom_evaluator_recording_samples_skipped_total}. Called on the evaluating thread only.
 */
final class AlertOutputAppender implements RuleResultAppender {
    private static final Set<String> ALERT_SERIES = Set.of("ALERTS", "ALERTS_FOR_STATE");

    private final RuleResultAppender delegate;
    private final Set<String> recordNames;

    AlertOutputAppender(RuleResultAppender delegate, RuleGroupSpec spec) {
        this.delegate = delegate;
        Set<String> names = new HashSet<>();
        for (RuleSpec rule : spec.rules()) {
            if (rule instanceof RuleSpec.Recording recording && !ALERT_SERIES.contains(recording.name())) {
                names.add(recording.name());
            }
        }
        this.recordNames = Set.copyOf(names);
    }

    @Override
    public void append(Labels labels, long timestampMillis, double value) {
        if (recordNames.contains(labels.getOrEmpty(Labels.METRIC_NAME))) {
            EvaluatorMetrics.RECORDING_SAMPLES_SKIPPED.inc();
            return;
        }
        delegate.append(labels, timestampMillis, value);
    }

    @Override
    public void commit() {
        delegate.commit();
    }
}
