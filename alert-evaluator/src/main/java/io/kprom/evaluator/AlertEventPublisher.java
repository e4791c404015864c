package io.kprom.evaluator;

import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertTransitionListener;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.schemas.avro.AlertEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes every alert state change to the {@code alerts} topic as an {@link AlertEvent} keyed by
 * the alert's fingerprint: PENDING (new), FIRING, RESOLVED, and INACTIVE for a pending alert that
 * went away. Forgetting a resolved alert after its retention is not a state change and is not
 * published. Called on the evaluation thread; the producer is thread-safe and shared.
 */
final class AlertEventPublisher implements AlertTransitionListener {
    private final Producer<String, AlertEvent> producer;
    private final String topic;
    private final String groupName;
    private final String externalUrl;
    private final LongSupplier clock;

    AlertEventPublisher(Producer<String, AlertEvent> producer, String topic, String groupName, String externalUrl,
            LongSupplier clock) {
        this.producer = producer;
        this.topic = topic;
        this.groupName = groupName;
        this.externalUrl = externalUrl == null ? "" : externalUrl;
        this.clock = clock;
    }

    @Override
    public void transition(AlertingRule rule, Alert alert, AlertState previous, boolean removed) {
        if (removed && previous == AlertState.INACTIVE) {
            return;
        }
        io.kprom.schemas.avro.AlertState state = alert.isResolved() ? io.kprom.schemas.avro.AlertState.RESOLVED
                : io.kprom.schemas.avro.AlertState.valueOf(alert.state().name());
        AlertEvent event = AlertEvent.newBuilder()
                .setFingerprint(alert.fingerprint())
                .setAlertname(alert.alertName())
                .setRuleGroup(groupName)
                .setLabels(alert.labels().toList())
                .setAnnotations(new java.util.HashMap<>(alert.annotations()))
                .setState(state)
                .setPreviousState(io.kprom.schemas.avro.AlertState.valueOf(previous.name()))
                .setValue(alert.value())
                .setActiveAtMillis(alert.activeAtMillis() == 0 ? null : alert.activeAtMillis())
                .setFiredAtMillis(alert.firedAtMillis() == 0 ? null : alert.firedAtMillis())
                .setResolvedAtMillis(alert.resolvedAtMillis() == 0 ? null : alert.resolvedAtMillis())
                .setEventTimestampMillis(clock.getAsLong())
                .setGeneratorUrl(externalUrl + "/graph?g0.expr="
                        + URLEncoder.encode(rule.spec().expr(), StandardCharsets.UTF_8) + "&g0.tab=1")
                .build();
        producer.send(new ProducerRecord<>(topic, alert.fingerprint(), event));
        EvaluatorMetrics.ALERT_EVENTS.labelValues(state.name().toLowerCase(java.util.Locale.ROOT)).inc();
    }
}
