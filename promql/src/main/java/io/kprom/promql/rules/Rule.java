package io.kprom.promql.rules;

import io.kprom.promql.engine.Value;
import java.util.List;

/**
 * A recording or alerting rule with its runtime status. Status getters are thread-safe (read by
 * the HTTP API while the group evaluates); evaluation runs on one thread at a time.
 */
public sealed interface Rule permits RecordingRule, AlertingRule {
    String name();

    RuleSpec spec();

    RuleHealth health();

    /** The last evaluation's error, or null. */
    String lastError();

    /** Wall-clock time of the last evaluation start in milliseconds, 0 before the first. */
    long lastEvaluationMillis();

    /** Duration of the last evaluation in nanoseconds. */
    long evaluationDurationNanos();

    /**
     * Evaluates at one timestamp and returns the samples to append (recording results, or
     * {@code ALERTS}/{@code ALERTS_FOR_STATE}). Throws on query failure or exceeded limit.
     */
    List<Value.Sample> evaluate(RuleEvaluation evaluation) throws Exception;
}
