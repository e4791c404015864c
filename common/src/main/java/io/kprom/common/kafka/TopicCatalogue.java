package io.kprom.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kprom topic and the settings it should have, in one place.
 *
 * <pre>{@code
 * TopicCatalogue catalogue = TopicCatalogue.defaults().withOverrides(Map.of(
 *     "kprom.topics.replication.factor", "3",
 *     "kprom.topic.metrics.samples.partitions", "24",
 *     "kprom.topic.metrics.raw.config.retention.ms", "3600000"));
 * }</pre>
 *
 * <table>
 * <caption>defaults</caption>
 * <tr><th>topic</th><th>partitions</th><th>cleanup.policy</th><th>retention.ms</th><th>compression.type</th><th>max.message.bytes</th></tr>
 * <tr><td>metrics.raw</td><td>6</td><td>delete</td><td>24 h</td><td>zstd</td><td>16 MiB</td></tr>
 * <tr><td>metrics.samples</td><td>12</td><td>delete</td><td>24 h</td><td>zstd</td><td>8 MiB</td></tr>
 * <tr><td>metrics.metadata</td><td>3</td><td>compact</td><td>-1 (forever)</td><td>zstd</td><td>1 MiB</td></tr>
 * <tr><td>scrape.shards</td><td>16</td><td>delete</td><td>1 h</td><td>zstd</td><td>1 MiB</td></tr>
 * <tr><td>alerts</td><td>3</td><td>delete</td><td>7 d</td><td>zstd</td><td>1 MiB</td></tr>
 * </table>
 *
 * All topics default to replication factor 1 (the standalone broker); set
 * {@code kprom.topics.replication.factor} for a cluster. Override keys:
 * {@code kprom.topics.replication.factor}, {@code kprom.topic.<name>.partitions},
 * {@code kprom.topic.<name>.replication.factor}, {@code kprom.topic.<name>.config.<topic config>}.
 * Immutable.
 */
public final class TopicCatalogue {
    public static final String OVERRIDE_PREFIX = "kprom.topic.";
    public static final String REPLICATION_FACTOR_ALL = "kprom.topics.replication.factor";

    private static final long MIB = 1024 * 1024;

    private final Map<String, TopicSpec> topics;

    private TopicCatalogue(Map<String, TopicSpec> topics) {
        this.topics = topics;
    }

    /** kprom's topics with their default settings. */
    public static TopicCatalogue defaults() {
        Map<String, TopicSpec> topics = new LinkedHashMap<>();
        add(topics, Topics.METRICS_RAW, 6, "delete", Duration.ofHours(24).toMillis(), 16 * MIB);
        add(topics, Topics.METRICS_SAMPLES, 12, "delete", Duration.ofHours(24).toMillis(), 8 * MIB);
        add(topics, Topics.METRICS_METADATA, 3, "compact", -1, MIB);
        add(topics, Topics.SCRAPE_SHARDS, 16, "delete", Duration.ofHours(1).toMillis(), MIB);
        add(topics, Topics.ALERTS, 3, "delete", Duration.ofDays(7).toMillis(), MIB);
        return new TopicCatalogue(topics);
    }

    private static void add(Map<String, TopicSpec> topics, String name, int partitions, String cleanupPolicy,
            long retentionMillis, long maxMessageBytes) {
        topics.put(name, new TopicSpec(name, partitions, (short) 1, Map.of(
                TopicSpec.CLEANUP_POLICY, cleanupPolicy,
                TopicSpec.RETENTION_MS, Long.toString(retentionMillis),
                TopicSpec.COMPRESSION_TYPE, "zstd",
                TopicSpec.MAX_MESSAGE_BYTES, Long.toString(maxMessageBytes))));
    }

    /**
     * This catalogue with the {@code kprom.topic*} keys of {@code config} applied; other keys are ignored.
     *
     * @throws IllegalArgumentException for a key naming an unknown topic or setting, or a bad number
     */
    public TopicCatalogue withOverrides(Map<String, ?> config) {
        Map<String, TopicSpec> changed = new LinkedHashMap<>(topics);
        Object all = config.get(REPLICATION_FACTOR_ALL);
        if (all != null) {
            short factor = parseShort(REPLICATION_FACTOR_ALL, all);
            changed.replaceAll((name, spec) -> spec.withReplicationFactor(factor));
        }
        // Topic names contain dots, so match the longest known name after the prefix.
        List<String> names = new ArrayList<>(topics.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (Map.Entry<String, ?> entry : config.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(OVERRIDE_PREFIX)) {
                continue;
            }
            String rest = key.substring(OVERRIDE_PREFIX.length());
            String topic = names.stream().filter(n -> rest.startsWith(n + ".")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("override " + key + " names no kprom topic (known: "
                            + topics.keySet() + ")"));
            String setting = rest.substring(topic.length() + 1);
            String value = String.valueOf(entry.getValue());
            TopicSpec spec = changed.get(topic);
            if (setting.equals("partitions")) {
                spec = spec.withPartitions(parseInt(key, value));
            } else if (setting.equals("replication.factor")) {
                spec = spec.withReplicationFactor(parseShort(key, value));
            } else if (setting.startsWith("config.") && setting.length() > "config.".length()) {
                spec = spec.withConfig(setting.substring("config.".length()), value);
            } else {
                throw new IllegalArgumentException("override " + key + ": unknown setting '" + setting
                        + "' (use partitions, replication.factor or config.<topic config>)");
            }
            changed.put(topic, spec);
        }
        return new TopicCatalogue(changed);
    }

    /** Every topic, in a stable order. */
    public List<TopicSpec> topics() {
        return List.copyOf(topics.values());
    }

    /** One topic's settings. @throws IllegalArgumentException for a name not in the catalogue */
    public TopicSpec topic(String name) {
        TopicSpec spec = topics.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no topic " + name + " in the catalogue (known: " + topics.keySet() + ")");
        }
        return spec;
    }

    private static int parseInt(String key, Object value) {
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("override " + key + ": '" + value + "' is not a whole number");
        }
    }

    private static short parseShort(String key, Object value) {
        int parsed = parseInt(key, value);
        if (parsed < 1 || parsed > Short.MAX_VALUE) {
            throw new IllegalArgumentException("override " + key + ": replication factor " + parsed + " out of range");
        }
        return (short) parsed;
    }
}
