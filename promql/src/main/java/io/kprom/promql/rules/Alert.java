package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import java.util.Map;

/**
 * An immutable snapshot of one alert instance of an alerting rule. Times are milliseconds;
 * 0 means "not set" (Go's zero time).
 *
 * @param labels identifying labels: the expression's result labels without {@code __name__}, plus
 *     the rule's (expanded) labels, plus {@code alertname}
 * @param annotations expanded annotations
 * @param state pending, firing, or inactive for a resolved alert still kept for notification
 * @param value the expression's value at the last evaluation
 * @param activeAtMillis when the alert first became pending
 * @param firedAtMillis when it started firing (Alertmanager's {@code startsAt})
 * @param resolvedAtMillis when it was resolved
 * @param lastSentAtMillis when it was last handed to the notifier
 * @param validUntilMillis {@code endsAt} sent while firing
 * @param keepFiringSinceMillis when {@code keep_firing_for} started holding it
 */
public record Alert(Labels labels, Map<String, String> annotations, AlertState state, double value,
        long activeAtMillis, long firedAtMillis, long resolvedAtMillis, long lastSentAtMillis, long validUntilMillis,
        long keepFiringSinceMillis) {
    public Alert {
        annotations = Map.copyOf(annotations);
    }

    /** Stable identity of the alert: its labels' hash as 16 hex digits (the {@code alerts} topic key). */
    public String fingerprint() {
        return fingerprint(labels);
    }

    public static String fingerprint(Labels labels) {
        return String.format("%016x", labels.stableHash());
    }

    public String alertName() {
        return labels.getOrEmpty("alertname");
    }

    /** Resolved: was firing and is no longer (kept 15 minutes so Alertmanager hears of it). */
    public boolean isResolved() {
        return resolvedAtMillis != 0;
    }
}
