package io.kprom.promql.rules;

/** Mutable health bookkeeping shared by both rule kinds; guarded by its own monitor. */
final class RuleStatus {
    private RuleHealth health = RuleHealth.UNKNOWN;
    private String lastError;
    private long lastEvaluationMillis;
    private long evaluationDurationNanos;

    synchronized void record(RuleHealth health, String lastError, long startMillis, long durationNanos) {
        this.health = health;
        this.lastError = lastError;
        this.lastEvaluationMillis = startMillis;
        this.evaluationDurationNanos = durationNanos;
    }

    synchronized RuleHealth health() {
        return health;
    }

    synchronized String lastError() {
        return lastError;
    }

    synchronized long lastEvaluationMillis() {
        return lastEvaluationMillis;
    }

    synchronized long evaluationDurationNanos() {
        return evaluationDurationNanos;
    }
}
