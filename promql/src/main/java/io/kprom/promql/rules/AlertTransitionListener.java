package io.kprom.promql.rules;

/**
 * Hears every state change of every alert instance: new pending, pending to firing, firing to
 * resolved (inactive with {@code resolvedAtMillis}), pending dropped (to inactive), and removal
 * after the resolved retention. Called on the evaluating thread during the group's evaluation,
 * after the rule's evaluation completed successfully.
 */
@FunctionalInterface
public interface AlertTransitionListener {
    /**
     * @param rule the alerting rule
     * @param alert the alert after the change
     * @param previous its state before the change ({@link AlertState#INACTIVE} for a new alert)
     * @param removed true when the alert left the rule's memory (pending that stopped, or resolved
     *     past retention)
     */
    void transition(AlertingRule rule, Alert alert, AlertState previous, boolean removed);

    AlertTransitionListener NONE = (rule, alert, previous, removed) -> {
    };
}
