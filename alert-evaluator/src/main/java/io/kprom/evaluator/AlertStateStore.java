package io.kprom.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RuleGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Durable alert state in a compacted topic: one record per alert, keyed
 * {@code <group file>;<group name>\u0000<fingerprint>}, value a JSON snapshot (labels, annotations,
 * state, activeAt, firedAt, resolvedAt, lastSentAt, validUntil, keepFiringSince); a tombstone when
 * the rule forgets the alert. On start {@link #load} reads the topic to its end, so a restarted
 * evaluator restores each rule's alerts with their original activeAt (a pending alert fires when
 * it would have) and lastSentAt/resolvedAt (a resolved alert is not announced again as new).
 *
 * <p>{@link #persist} is called on the evaluation thread after each group evaluation and writes
 * only alerts whose state changed. Format version: JSON field {@code "v": 1}.
 */
final class AlertStateStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Producer<String, String> producer;
    private final String topic;
    /** Last written snapshot per key (value and annotations ignored for change detection). */
    private final Map<String, String> written = new HashMap<>();

    AlertStateStore(Producer<String, String> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    static void ensureTopic(Admin admin, String topic, int replication) throws InterruptedException, ExecutionException {
        NewTopic newTopic = new NewTopic(topic, 1, (short) replication)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Reads the whole topic: group key to its alerts. */
    Map<String, List<Alert>> load(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (!reached(consumer, ends)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        Map<String, List<Alert>> byGroup = new HashMap<>();
        for (Map.Entry<String, String> entry : latest.entrySet()) {
            String groupKey = entry.getKey().substring(0, entry.getKey().indexOf('\u0000'));
            byGroup.computeIfAbsent(groupKey, k -> new ArrayList<>()).add(decode(entry.getValue()));
            written.put(entry.getKey(), changeKey(decode(entry.getValue())));
        }
        return byGroup;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Writes the group's changed alerts and tombstones for forgotten ones. */
    void persist(RuleGroup group) {
        String groupKey = group.spec().key();
        Set<String> present = new HashSet<>();
        for (AlertingRule rule : group.alertingRules()) {
            for (Alert alert : rule.currentAlerts()) {
                String key = groupKey + '\u0000' + alert.fingerprint();
                present.add(key);
                String change = changeKey(alert);
                if (!change.equals(written.get(key))) {
                    producer.send(new ProducerRecord<>(topic, key, encode(alert)));
                    written.put(key, change);
                }
            }
        }
        String prefix = groupKey + '\u0000';
        written.keySet().removeIf(key -> {
            if (key.startsWith(prefix) && !present.contains(key)) {
                producer.send(new ProducerRecord<>(topic, key, null));
                return true;
            }
            return false;
        });
    }

    private static String changeKey(Alert alert) {
        return alert.state() + "/" + alert.activeAtMillis() + "/" + alert.firedAtMillis() + "/"
                + alert.resolvedAtMillis() + "/" + alert.lastSentAtMillis() + "/" + alert.validUntilMillis() + "/"
                + alert.keepFiringSinceMillis();
    }

    static String encode(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", 1);
        var labels = node.putArray("labels");
        alert.labels().toList().forEach(labels::add);
        ObjectNode annotations = node.putObject("annotations");
        alert.annotations().forEach(annotations::put);
        node.put("state", alert.state().name());
        node.put("value", Double.toString(alert.value()));
        node.put("activeAt", alert.activeAtMillis());
        node.put("firedAt", alert.firedAtMillis());
        node.put("resolvedAt", alert.resolvedAtMillis());
        node.put("lastSentAt", alert.lastSentAtMillis());
        node.put("validUntil", alert.validUntilMillis());
        node.put("keepFiringSince", alert.keepFiringSinceMillis());
        return node.toString();
    }

    static Alert decode(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<String> labels = new ArrayList<>();
            node.get("labels").forEach(n -> labels.add(n.asText()));
            Map<String, String> annotations = new LinkedHashMap<>();
            node.get("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            return new Alert(Labels.fromList(labels), annotations, AlertState.valueOf(node.get("state").asText()),
                    Double.parseDouble(node.get("value").asText()), node.get("activeAt").asLong(), node.get("firedAt").asLong(),
                    node.get("resolvedAt").asLong(), node.get("lastSentAt").asLong(), node.get("validUntil").asLong(),
                    node.get("keepFiringSince").asLong());
        } catch (Exception e) {
            throw new IllegalStateException("undecodable alert state record: " + e.getMessage(), e);
        }
    }
}
