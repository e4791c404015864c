package io.kprom.processor.rules;

import io.kprom.common.labels.Labels;
import java.util.Objects;

/**
 * One recording rule: results get {@code __name__ = record} and the rule's labels (an empty value
 * removes the label), as Prometheus's recording rules do.
 */
public record RecordingRule(String record, String expr, Labels labels) {
    public RecordingRule {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(labels, "labels");
    }
}
