package io.kprom.promql.rules;

import java.util.List;

/**
 * Receives alerts due for sending after an alerting rule's evaluation (Prometheus's
 * {@code NotifyFunc}): firing alerts not sent within the resend delay, and alerts resolved since
 * they were last sent. Pending alerts are never passed. Called on the evaluating thread after
 * every evaluation of the rule (possibly with an empty list); implementations should enqueue and
 * return quickly.
 */
@FunctionalInterface
public interface AlertNotifier {
    /**
     * @param rule the rule that produced the alerts
     * @param alerts snapshots with {@code validUntilMillis} set; {@code endsAt} is
     *     {@code resolvedAtMillis} when resolved, else {@code validUntilMillis}; {@code startsAt} is
     *     {@code firedAtMillis}
     */
    void send(AlertingRule rule, List<Alert> alerts);

    AlertNotifier NONE = (rule, alerts) -> {
    };
}
