package io.kprom.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.common.relabel.Relabeler;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertNotifier;
import io.kprom.promql.rules.AlertingRule;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to every discovered Alertmanager through API v2 ({@code POST /api/v2/alerts}, a
 * JSON array of {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt},
 * {@code generatorURL}), as Prometheus's notifier does: external labels are added (alert labels
 * win), {@code alerting.alert_relabel_configs} applied (an alert relabeled to nothing is dropped),
 * alerts queue in a bounded queue (oldest dropped and counted when full) and go out in batches of at
 * most {@link #MAX_BATCH}; each batch goes to every {@link AlertmanagerSet} (after that set's own
 * {@code alert_relabel_configs}) and, within a set, to all of its current Alertmanagers in parallel.
 * A failed send is retried once, then counted in {@code prometheus_notifications_errors_total}; a
 * batch no Alertmanager accepted counts as dropped (firing alerts are re-sent every resend delay
 * anyway, so they reach an Alertmanager that comes back).
 *
 * <p>Thread-safe: {@link #send} only enqueues; one sender thread talks HTTP. The notifier does not
 * own the sets: their owner starts and closes them.
 */
final class AlertmanagerNotifier implements AlertNotifier, AutoCloseable {
    static final int MAX_BATCH = 256;
    static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** An alert waiting to be sent: labels after external labels and global alert relabeling. */
    private record Pending(Labels labels, Alert alert, String generatorUrl) {
    }

    private final List<AlertmanagerSet> sets;
    private final Labels externalLabels;
    private final List<RelabelConfig> relabelConfigs;
    private final String externalUrl;
    private final int capacity;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Thread sender;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong batchesDone = new java.util.concurrent.atomic.AtomicLong();

    AlertmanagerNotifier(List<AlertmanagerSet> sets, Labels externalLabels, List<RelabelConfig> relabelConfigs,
            String externalUrl, int capacity) {
        this.sets = List.copyOf(sets);
        this.externalLabels = externalLabels;
        this.relabelConfigs = List.copyOf(relabelConfigs);
        this.externalUrl = externalUrl == null ? "" : externalUrl;
        this.capacity = capacity;
        EvaluatorMetrics.NOTIFICATIONS_QUEUE_CAPACITY.set(capacity);
        alertmanagersChanged();
        this.sender = new Thread(this::run, "evaluator-notifier");
        sender.setDaemon(true);
        sender.start();
    }

    /** Updates {@code prometheus_notifications_alertmanagers_discovered}; sets call it when discovery changes. */
    void alertmanagersChanged() {
        EvaluatorMetrics.ALERTMANAGERS_DISCOVERED.set(sets.stream().mapToInt(set -> set.endpoints().size()).sum());
    }

    @Override
    public void send(AlertingRule rule, List<Alert> alerts) {
        if (alerts.isEmpty() || sets.isEmpty()) {
            return;
        }
        String generatorUrl = externalUrl + "/graph?g0.expr="
                + URLEncoder.encode(rule.spec().expr(), StandardCharsets.UTF_8) + "&g0.tab=1";
        List<Pending> pending = new ArrayList<>();
        for (Alert alert : alerts) {
            Labels.Builder builder = externalLabels.toBuilder();
            alert.labels().forEach(builder::set);
            Labels labels = Relabeler.process(builder.build(), relabelConfigs);
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            pending.add(new Pending(labels, alert, generatorUrl));
        }
        synchronized (queue) {
            for (Pending alert : pending) {
                if (queue.size() >= capacity) {
                    queue.pollFirst();
                    EvaluatorMetrics.NOTIFICATIONS_DROPPED.inc();
                }
                queue.addLast(alert);
            }
            EvaluatorMetrics.NOTIFICATIONS_QUEUE_LENGTH.set(queue.size());
            queue.notifyAll();
        }
    }

    /** The API v2 object of one alert: startsAt is when it fired, endsAt its resolution or validity. */
    static ObjectNode payload(Labels labels, Alert alert, String generatorUrl) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode labelNode = node.putObject("labels");
        labels.forEach(labelNode::put);
        ObjectNode annotationNode = node.putObject("annotations");
        for (Map.Entry<String, String> annotation : new java.util.TreeMap<>(alert.annotations()).entrySet()) {
            annotationNode.put(annotation.getKey(), annotation.getValue());
        }
        node.put("startsAt", Instant.ofEpochMilli(alert.firedAtMillis()).toString());
        long endsAt = alert.isResolved() ? alert.resolvedAtMillis() : alert.validUntilMillis();
        node.put("endsAt", Instant.ofEpochMilli(endsAt).toString());
        node.put("generatorURL", generatorUrl);
        return node;
    }

    /** Batches taken from the queue whose sending has finished (delivered or not). */
    long batchesDone() {
        return batchesDone.get();
    }

    int queueLength() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void run() {
        while (running) {
            List<Pending> batch = new ArrayList<>();
            synchronized (queue) {
                while (running && queue.isEmpty()) {
                    try {
                        queue.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queue.pollFirst());
                }
                EvaluatorMetrics.NOTIFICATIONS_QUEUE_LENGTH.set(queue.size());
            }
            if (!batch.isEmpty()) {
                sendAll(batch);
                batchesDone.incrementAndGet();
            }
        }
    }

    private void sendAll(List<Pending> batch) {
        List<Thread> threads = new ArrayList<>();
        List<boolean[]> outcomes = new ArrayList<>();
        for (AlertmanagerSet set : sets) {
            List<AlertmanagerEndpoint> endpoints = set.endpoints();
            if (endpoints.isEmpty()) {
                continue;
            }
            ArrayNode array = JSON.createArrayNode();
            for (Pending alert : batch) {
                Labels labels = Relabeler.process(alert.labels(), set.alertRelabelConfigs());
                if (labels != null && !labels.isEmpty()) {
                    array.add(payload(labels, alert.alert(), alert.generatorUrl()));
                }
            }
            if (array.isEmpty()) {
                continue;
            }
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(array);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (AlertmanagerEndpoint endpoint : endpoints) {
                boolean[] delivered = new boolean[1];
                outcomes.add(delivered);
                Thread thread = new Thread(() -> delivered[0] = sendOne(set, endpoint, body, array.size()),
                        "evaluator-notify-" + endpoint.url().host() + ":" + endpoint.url().port());
                threads.add(thread);
                thread.start();
            }
        }
        boolean any = false;
        for (int i = 0; i < threads.size(); i++) {
            try {
                threads.get(i).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            any |= outcomes.get(i)[0];
        }
        if (!any) {
            EvaluatorMetrics.NOTIFICATIONS_DROPPED.inc(batch.size());
        }
    }

    private boolean sendOne(AlertmanagerSet set, AlertmanagerEndpoint endpoint, byte[] body, int count) {
        String name = endpoint.url().toString();
        for (int attempt = 0; attempt < 2 && running; attempt++) {
            long start = System.nanoTime();
            try {
                Request.Builder request = new Request.Builder().url(endpoint.url())
                        .header("User-Agent", "kprom-alert-evaluator")
                        .post(RequestBody.create(body, JSON_TYPE));
                set.authorize(request);
                try (Response response = set.client().newCall(request.build()).execute()) {
                    EvaluatorMetrics.NOTIFICATION_LATENCY.labelValues(name).observe((System.nanoTime() - start) / 1e9);
                    if (response.isSuccessful()) {
                        EvaluatorMetrics.NOTIFICATIONS_SENT.labelValues(name).inc(count);
                        return true;
                    }
                    String text = response.body() == null ? "" : response.body().string();
                    LOG.warn("Alertmanager {} answered {}: {}", name, response.code(), text);
                }
            } catch (Exception e) {
                LOG.warn("sending {} alerts to {} failed: {}", count, name, e.toString());
            }
        }
        EvaluatorMetrics.NOTIFICATIONS_ERRORS.labelValues(name).inc(count);
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (queue) {
            queue.notifyAll();
        }
        sender.join(5000);
    }
}
