package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import io.kprom.promql.rules.template.GoTemplate;
import io.kprom.promql.rules.template.QuerySample;
import io.kprom.promql.rules.template.TemplateContext;
import io.kprom.promql.rules.template.TemplateData;
import io.kprom.promql.rules.template.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alerting rule with Prometheus's state machine: a result series makes an alert pending, it
 * fires once it has been active for {@code for}; when the series disappears a firing alert stays
 * firing for {@code keep_firing_for}, then resolves and is kept 15 minutes so Alertmanager hears of
 * the resolution; a pending alert that disappears is dropped. Each evaluation yields
 * {@code ALERTS{alertstate}} (value 1) and {@code ALERTS_FOR_STATE} (value: activeAt in Unix
 * seconds) for every pending or firing alert.
 *
 * <p>Status and {@link #currentAlerts()} are thread-safe; evaluation runs on one thread at a time.
 */
public final class AlertingRule implements Rule {
    public static final String ALERTS_METRIC = "ALERTS";
    public static final String ALERTS_FOR_STATE_METRIC = "ALERTS_FOR_STATE";
    public static final String ALERT_NAME_LABEL = "alertname";
    public static final String ALERT_STATE_LABEL = "alertstate";
    /** How long a resolved alert is kept and re-sent (Prometheus's resolvedRetention). */
    public static final long RESOLVED_RETENTION_MILLIS = Duration.ofMinutes(15).toMillis();

    private final RuleSpec.Alerting spec;
    private final long holdMillis;
    private final long keepFiringForMillis;
    private final Map<String, GoTemplate> labelTemplates = new LinkedHashMap<>();
    private final Map<String, GoTemplate> annotationTemplates = new LinkedHashMap<>();
    final RuleStatus status = new RuleStatus();
    private final Object lock = new Object();
    /** Alerts by identifying labels; guarded by {@link #lock}. */
    private final Map<Labels, MutableAlert> active = new LinkedHashMap<>();

    public AlertingRule(RuleSpec.Alerting spec) {
        this.spec = spec;
        this.holdMillis = spec.holdDuration().toMillis();
        this.keepFiringForMillis = spec.keepFiringFor().toMillis();
        String templateName = "__alert_" + spec.name();
        try {
            spec.labels().forEach((name, value) -> labelTemplates.put(name, parseUnchecked(templateName, value)));
            for (Map.Entry<String, String> annotation : spec.annotations().entrySet()) {
                annotationTemplates.put(annotation.getKey(), GoTemplate.parse(templateName, annotation.getValue()));
            }
        } catch (TemplateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static GoTemplate parseUnchecked(String name, String text) {
        try {
            return GoTemplate.parse(name, text);
        } catch (TemplateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public RuleSpec.Alerting spec() {
        return spec;
    }

    /** The {@code for} duration in milliseconds. */
    public long holdMillis() {
        return holdMillis;
    }

    public long keepFiringForMillis() {
        return keepFiringForMillis;
    }

    @Override
    public List<Value.Sample> evaluate(RuleEvaluation evaluation) throws Exception {
        return evaluate(evaluation, AlertTransitionListener.NONE);
    }

    /** Evaluates and reports every alert state change to {@code listener}. */
    public List<Value.Sample> evaluate(RuleEvaluation evaluation, AlertTransitionListener listener) throws Exception {
        long ts = evaluation.timestampMillis();
        long queryTime = evaluation.queryTimeMillis();
        List<Value.Sample> vector = evaluation.query().query(spec.expr(), queryTime);
        Map<Labels, MutableAlert> fresh = new LinkedHashMap<>();
        Map<String, String> externalLabels = evaluation.externalLabels().toMap();
        TemplateContext context = templateContext(evaluation);
        for (Value.Sample sample : vector) {
            TemplateData data = new TemplateData(sample.labels().toMap(), externalLabels, evaluation.externalUrl(),
                    sample.value());
            Labels.Builder builder = sample.labels().toBuilder().remove(Labels.METRIC_NAME);
            for (Map.Entry<String, GoTemplate> label : labelTemplates.entrySet()) {
                builder.set(label.getKey(), expand(label.getValue(), data, context));
            }
            builder.set(ALERT_NAME_LABEL, spec.name());
            Labels labels = builder.build();
            Map<String, String> annotations = new LinkedHashMap<>();
            for (Map.Entry<String, GoTemplate> annotation : annotationTemplates.entrySet()) {
                annotations.put(annotation.getKey(), expand(annotation.getValue(), data, context));
            }
            if (fresh.containsKey(labels)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying alert labels");
            }
            MutableAlert alert = new MutableAlert(labels);
            alert.annotations = annotations;
            alert.value = sample.value();
            alert.activeAtMillis = ts;
            alert.state = AlertState.PENDING;
            fresh.put(labels, alert);
        }

        List<Runnable> notifications = new ArrayList<>();
        List<Value.Sample> result = new ArrayList<>();
        synchronized (lock) {
            for (Map.Entry<Labels, MutableAlert> entry : fresh.entrySet()) {
                MutableAlert existing = active.get(entry.getKey());
                if (existing != null && existing.state != AlertState.INACTIVE) {
                    existing.value = entry.getValue().value;
                    existing.annotations = entry.getValue().annotations;
                    continue;
                }
                MutableAlert created = entry.getValue();
                active.put(entry.getKey(), created);
                Alert snapshot = created.snapshot();
                notifications.add(() -> listener.transition(this, snapshot, AlertState.INACTIVE, false));
            }
            int activeCount = 0;
            var iterator = active.entrySet().iterator();
            while (iterator.hasNext()) {
                MutableAlert alert = iterator.next().getValue();
                if (!fresh.containsKey(alert.labels)) {
                    boolean keepFiring = false;
                    if (alert.state == AlertState.FIRING && keepFiringForMillis > 0) {
                        if (alert.keepFiringSinceMillis == 0) {
                            alert.keepFiringSinceMillis = ts;
                        }
                        keepFiring = ts - alert.keepFiringSinceMillis < keepFiringForMillis;
                    }
                    if (alert.state == AlertState.PENDING
                            || alert.resolvedAtMillis != 0 && ts - alert.resolvedAtMillis > RESOLVED_RETENTION_MILLIS) {
                        iterator.remove();
                        AlertState previous = alert.state;
                        if (alert.state != AlertState.INACTIVE) {
                            alert.state = AlertState.INACTIVE;
                        }
                        Alert snapshot = alert.snapshot();
                        notifications.add(() -> listener.transition(this, snapshot, previous, true));
                        continue;
                    }
                    if (alert.state != AlertState.INACTIVE && !keepFiring) {
                        AlertState previous = alert.state;
                        alert.state = AlertState.INACTIVE;
                        alert.resolvedAtMillis = ts;
                        Alert snapshot = alert.snapshot();
                        notifications.add(() -> listener.transition(this, snapshot, previous, false));
                    }
                    if (!keepFiring) {
                        continue;
                    }
                } else {
                    alert.keepFiringSinceMillis = 0;
                }
                activeCount++;
                if (alert.state == AlertState.PENDING && ts - alert.activeAtMillis >= holdMillis) {
                    alert.state = AlertState.FIRING;
                    alert.firedAtMillis = ts;
                    Alert snapshot = alert.snapshot();
                    notifications.add(() -> listener.transition(this, snapshot, AlertState.PENDING, false));
                }
                result.add(alertsSample(alert, queryTime));
                result.add(forStateSample(alert, queryTime));
            }
            if (evaluation.limit() > 0 && activeCount > evaluation.limit()) {
                List<Alert> dropped = new ArrayList<>();
                for (MutableAlert alert : active.values()) {
                    dropped.add(alert.snapshot());
                }
                active.clear();
                for (Alert alert : dropped) {
                    listener.transition(this, alert, alert.state(), true);
                }
                throw new IllegalStateException("exceeded limit of " + evaluation.limit() + " with " + activeCount
                        + " alerts");
            }
        }
        notifications.forEach(Runnable::run);
        return result;
    }

    private Value.Sample alertsSample(MutableAlert alert, long timestampMillis) {
        Labels labels = alert.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_METRIC)
                .set(ALERT_STATE_LABEL, alert.state.apiName()).build();
        return new Value.Sample(labels, timestampMillis, 1);
    }

    private Value.Sample forStateSample(MutableAlert alert, long timestampMillis) {
        Labels labels = alert.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE_METRIC).build();
        return new Value.Sample(labels, timestampMillis, Math.floorDiv(alert.activeAtMillis, 1000));
    }

    private static String expand(GoTemplate template, TemplateData data, TemplateContext context) {
        try {
            return template.execute(data, context);
        } catch (TemplateException e) {
            return "<error expanding template: " + e.getMessage() + ">";
        }
    }

    private static TemplateContext templateContext(RuleEvaluation evaluation) {
        return new TemplateContext() {
            @Override
            public List<QuerySample> query(String expr) {
                List<QuerySample> samples = new ArrayList<>();
                for (Value.Sample sample : evaluation.query().query(expr, evaluation.timestampMillis())) {
                    samples.add(new QuerySample(sample.labels().toMap(), sample.value()));
                }
                return samples;
            }

            @Override
            public long timeMillis() {
                return evaluation.timestampMillis();
            }

            @Override
            public String externalUrl() {
                return evaluation.externalUrl();
            }
        };
    }

    /**
     * Hands due alerts to the notifier (Prometheus's sendAlerts): firing alerts not sent for more
     * than {@code resendDelayMillis}, and alerts resolved since their last send. Sets each sent
     * alert's {@code validUntil} to {@code ts + 4 * max(resendDelay, interval)}.
     */
    public void sendAlerts(long ts, long resendDelayMillis, long intervalMillis, AlertNotifier notifier) {
        List<Alert> due = new ArrayList<>();
        synchronized (lock) {
            for (MutableAlert alert : active.values()) {
                if (needsSending(alert, ts, resendDelayMillis)) {
                    alert.lastSentAtMillis = ts;
                    alert.validUntilMillis = ts + 4 * Math.max(resendDelayMillis, intervalMillis);
                    due.add(alert.snapshot());
                }
            }
        }
        notifier.send(this, due);
    }

    private static boolean needsSending(MutableAlert alert, long ts, long resendDelayMillis) {
        if (alert.state == AlertState.PENDING) {
            return false;
        }
        if (alert.resolvedAtMillis > alert.lastSentAtMillis) {
            return true;
        }
        // Never sent (Go's zero time is long before any evaluation).
        return alert.lastSentAtMillis == 0 || alert.lastSentAtMillis + resendDelayMillis < ts;
    }

    /** Every alert the rule remembers: pending, firing, and resolved within retention. */
    public List<Alert> currentAlerts() {
        synchronized (lock) {
            List<Alert> alerts = new ArrayList<>(active.size());
            for (MutableAlert alert : active.values()) {
                alerts.add(alert.snapshot());
            }
            return alerts;
        }
    }

    /** Pending and firing alerts (not resolved ones), as the API's {@code alerts} lists them. */
    public List<Alert> activeAlerts() {
        List<Alert> alerts = new ArrayList<>();
        for (Alert alert : currentAlerts()) {
            if (!alert.isResolved()) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    /** The highest state among the rule's alerts. */
    public AlertState state() {
        AlertState max = AlertState.INACTIVE;
        for (Alert alert : currentAlerts()) {
            if (alert.state().compareTo(max) > 0) {
                max = alert.state();
            }
        }
        return max;
    }

    /**
     * Replaces the rule's alerts with remembered ones (durable state after a restart), keeping
     * activeAt, firedAt, resolvedAt and lastSentAt so a pending alert fires when it would have and a
     * resolved one is not re-announced. Alerts of other rules are ignored.
     */
    public void restore(Collection<Alert> alerts) {
        synchronized (lock) {
            active.clear();
            for (Alert alert : alerts) {
                if (!spec.name().equals(alert.alertName())) {
                    continue;
                }
                MutableAlert restored = new MutableAlert(alert.labels());
                restored.annotations = new HashMap<>(alert.annotations());
                restored.state = alert.state();
                restored.value = alert.value();
                restored.activeAtMillis = alert.activeAtMillis();
                restored.firedAtMillis = alert.firedAtMillis();
                restored.resolvedAtMillis = alert.resolvedAtMillis();
                restored.lastSentAtMillis = alert.lastSentAtMillis();
                restored.validUntilMillis = alert.validUntilMillis();
                restored.keepFiringSinceMillis = alert.keepFiringSinceMillis();
                active.put(alert.labels(), restored);
            }
        }
    }

    @Override
    public RuleHealth health() {
        return status.health();
    }

    @Override
    public String lastError() {
        return status.lastError();
    }

    @Override
    public long lastEvaluationMillis() {
        return status.lastEvaluationMillis();
    }

    @Override
    public long evaluationDurationNanos() {
        return status.evaluationDurationNanos();
    }

    /** One alert's mutable state; guarded by the rule's lock. */
    private static final class MutableAlert {
        final Labels labels;
        Map<String, String> annotations = Map.of();
        AlertState state = AlertState.PENDING;
        double value;
        long activeAtMillis;
        long firedAtMillis;
        long resolvedAtMillis;
        long lastSentAtMillis;
        long validUntilMillis;
        long keepFiringSinceMillis;

        MutableAlert(Labels labels) {
            this.labels = labels;
        }

        Alert snapshot() {
            return new Alert(labels, annotations, state, value, activeAtMillis, firedAtMillis, resolvedAtMillis,
                    lastSentAtMillis, validUntilMillis, keepFiringSinceMillis);
        }
    }
}
