package io.kprom.processor.target;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;

/**
 * Prometheus's {@code label_limit}, {@code label_name_length_limit} and
 * {@code label_value_length_limit} on a series after metric relabeling (label counts include
 * {@code __name__}; lengths are UTF-8 bytes, as Go's {@code len}).
 */
public final class LabelLimitCheck {
    private LabelLimitCheck() {
    }

    /** The failure, or null when the series is within the job's limits. */
    public static ScrapeFailure check(Labels labels, JobPolicy policy) {
        if (policy.labelLimit() > 0 && labels.size() > policy.labelLimit()) {
            return ScrapeFailure.labelLimit(labels.metricName(), labels.size(), policy.labelLimit());
        }
        if (policy.labelNameLengthLimit() == 0 && policy.labelValueLengthLimit() == 0) {
            return null;
        }
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            String value = labels.value(i);
            if (policy.labelNameLengthLimit() > 0 && utf8Length(name) > policy.labelNameLengthLimit()) {
                return ScrapeFailure.labelNameLength(labels.metricName(), name, policy.labelNameLengthLimit());
            }
            if (policy.labelValueLengthLimit() > 0 && utf8Length(value) > policy.labelValueLengthLimit()) {
                return ScrapeFailure.labelValueLength(labels.metricName(), name, value, policy.labelValueLengthLimit());
            }
        }
        return null;
    }

    static int utf8Length(String value) {
        int length = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    length += 1;
                } else if (Character.isHighSurrogate(c)) {
                    length += 2;
                    i++;
                } else {
                    length += 2;
                }
            }
        }
        return length;
    }
}
