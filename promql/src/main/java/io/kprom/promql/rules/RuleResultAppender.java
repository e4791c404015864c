package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;

/**
 * Where a rule group writes what its rules produce: recording-rule samples, {@code ALERTS} and
 * {@code ALERTS_FOR_STATE} samples, and stale markers ({@link #STALE_NAN}) for series a rule
 * stopped producing (Prometheus's {@code storage.Appendable}).
 *
 * <p>Called from the evaluating thread only: {@link #append} for each sample of one rule, then
 * {@link #commit()} once for that rule. Labels are immutable and may be kept.
 */
public interface RuleResultAppender {
    /** Prometheus's stale marker: the NaN with bit pattern {@code 0x7ff0000000000002}. */
    double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    void append(Labels labels, long timestampMillis, double value);

    /** Ends one rule's batch; a batching appender flushes here. */
    default void commit() {
    }

    /** Discards everything. */
    RuleResultAppender DISCARD = (labels, timestampMillis, value) -> {
    };

    static boolean isStaleMarker(double value) {
        return Double.doubleToRawLongBits(value) == 0x7ff0000000000002L;
    }
}
