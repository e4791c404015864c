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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to every configured Alertmanager through API v2 ({@code POST /api/v2/alerts}, a
 * JSON array of {@code labels}, {@code annotations}, {@code startsAt}, {@code endsAt},
 * {@code generatorURL}), as Prometheus's notifier does: external labels are added (alert labels
 * win), {@code alert_relabel_configs} applied (an alert relabeled to nothing is dropped), alerts
 * queue in a bounded queue (oldest dropped and counted when full) and go out in batches of at most
 * {@link #MAX_BATCH} to all Alertmanagers in parallel. A failed send is retried once, then counted in
 * {@code prometheus_notifications_errors_total}; a batch no Alertmanager accepted counts as dropped
 * (firing alerts are re-sent every resend delay anyway).
 *
 * <p>Thread-safe: {@link #send} only enqueues; one sender thread talks HTTP.
 */
final class AlertmanagerNotifier implements AlertNotifier, AutoCloseable {
    static final int MAX_BATCH = 256;
    static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AlertmanagerEndpoint> endpoints;
    private final Labels externalLabels;
    private final List<RelabelConfig> relabelConfigs;
    private final String externalUrl;
    private final int capacity;
    private final ArrayDeque<ObjectNode> queue = new ArrayDeque<>();
    private final Thread sender;
    private volatile boolean running = true;

    AlertmanagerNotifier(List<AlertmanagerEndpoint> endpoints, Labels externalLabels, List<RelabelConfig> relabelConfigs,
            String externalUrl, int capacity) {
        this.endpoints = List.copyOf(endpoints);
        this.externalLabels = externalLabels;
        this.relabelConfigs = List.copyOf(relabelConfigs);
        this.externalUrl = externalUrl == null ? "" : externalUrl;
        this.capacity = capacity;
        EvaluatorMetrics.NOTIFICATIONS_QUEUE_CAPACITY.set(capacity);
        EvaluatorMetrics.ALERTMANAGERS_DISCOVERED.set(endpoints.size());
        this.sender = new Thread(this::run, "evaluator-notifier");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void send(AlertingRule rule, List<Alert> alerts) {
        if (alerts.isEmpty() || endpoints.isEmpty()) {
            return;
        }
        String generatorUrl = externalUrl + "/graph?g0.expr="
                + URLEncoder.encode(rule.spec().expr(), StandardCharsets.UTF_8) + "&g0.tab=1";
        List<ObjectNode> payloads = new ArrayList<>();
        for (Alert alert : alerts) {
            Labels.Builder builder = externalLabels.toBuilder();
            alert.labels().forEach(builder::set);
            Labels labels = Relabeler.process(builder.build(), relabelConfigs);
            if (labels == null || labels.isEmpty()) {
                continue;
            }
            payloads.add(payload(labels, alert, generatorUrl));
        }
        synchronized (queue) {
            for (ObjectNode payload : payloads) {
                if (queue.size() >= capacity) {
                    queue.pollFirst();
                    EvaluatorMetrics.NOTIFICATIONS_DROPPED.inc();
                }
                queue.addLast(payload);
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

    int queueLength() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void run() {
        while (running) {
            List<ObjectNode> batch = new ArrayList<>();
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
            }
        }
    }

    private void sendAll(List<ObjectNode> batch) {
        ArrayNode array = JSON.createArrayNode();
        batch.forEach(array::add);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(array);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Thread> threads = new ArrayList<>();
        boolean[] delivered = new boolean[endpoints.size()];
        for (int i = 0; i < endpoints.size(); i++) {
            int index = i;
            Thread thread = new Thread(() -> delivered[index] = sendOne(endpoints.get(index), body, batch.size()),
                    "evaluator-notify-" + i);
            threads.add(thread);
            thread.start();
        }
        boolean any = false;
        for (int i = 0; i < threads.size(); i++) {
            try {
                threads.get(i).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            any |= delivered[i];
        }
        if (!any) {
            EvaluatorMetrics.NOTIFICATIONS_DROPPED.inc(batch.size());
        }
    }

    private boolean sendOne(AlertmanagerEndpoint endpoint, byte[] body, int count) {
        String name = endpoint.url().toString();
        for (int attempt = 0; attempt < 2; attempt++) {
            long start = System.nanoTime();
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.url()).timeout(endpoint.timeout())
                        .header("Content-Type", "application/json").header("User-Agent", "kprom-alert-evaluator")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                String authorization = endpoint.authorization().get();
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> response = endpoint.client().send(request.build(),
                        HttpResponse.BodyHandlers.ofString());
                EvaluatorMetrics.NOTIFICATION_LATENCY.labelValues(name).observe((System.nanoTime() - start) / 1e9);
                if (response.statusCode() / 100 == 2) {
                    EvaluatorMetrics.NOTIFICATIONS_SENT.labelValues(name).inc(count);
                    return true;
                }
                LOG.warn("Alertmanager {} answered {}: {}", name, response.statusCode(), response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
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
