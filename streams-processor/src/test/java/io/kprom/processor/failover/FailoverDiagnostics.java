package io.kprom.processor.failover;

import io.kprom.testsupport.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where did the data stop? For a fail-over test of one processor application: input offsets the
 * application committed versus the input's last stable offsets, the output's high watermark versus
 * its last stable offset (an open transaction holds read_committed readers back), the log start
 * offsets (records the broker deleted by retention were never processed or read), the transactions
 * still open on the broker, and which expected samples are missing, grouped by target.
 *
 * <p>Not thread-safe; each call opens and closes its own admin client.
 */
public final class FailoverDiagnostics {
    private static final Pattern INSTANCE = Pattern.compile("instance=\"([^\"]+)\"");

    private final KafkaBroker broker;
    private final String applicationId;
    private final List<String> inputTopics;
    private final String outputTopic;

    /**
     * @param applicationId the processors' Kafka Streams application id (= consumer group)
     * @param rawTopic the application's input topic; its internal series topic is derived from the id
     * @param outputTopic {@code metrics.samples}
     */
    public FailoverDiagnostics(KafkaBroker broker, String applicationId, String rawTopic, String outputTopic) {
        this.broker = broker;
        this.applicationId = applicationId;
        this.inputTopics = List.of(rawTopic, applicationId + "-series");
        this.outputTopic = outputTopic;
    }

    /** True when the application committed every input record (raw and its internal series topic). */
    public boolean inputFullyCommitted() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, Long> stable = stableOffsets(admin, partitions(admin, inputTopics));
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin);
            return stable.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata offset = committed.get(e.getKey());
                return e.getValue() == 0 || offset != null && offset.offset() >= e.getValue();
            });
        }
    }

    /**
     * A compact progress report: per input partition {@code committed/last stable/high watermark}, per
     * output partition {@code last stable/high watermark}, either followed by {@code @log start offset}
     * when records were deleted, and the open transactions.
     */
    public String offsets() {
        StringBuilder out = new StringBuilder();
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin);
            List<TopicPartition> input = sorted(partitions(admin, inputTopics));
            Map<TopicPartition, Long> inputStable = stableOffsets(admin, input);
            Map<TopicPartition, Long> inputEnd = endOffsets(admin, input);
            Map<TopicPartition, Long> inputStart = startOffsets(admin, input);
            out.append("  in:");
            for (TopicPartition partition : input) {
                OffsetAndMetadata offset = committed.get(partition);
                out.append(' ').append(partition.topic().endsWith("-series") ? "series-" : "raw-")
                        .append(partition.partition()).append('=').append(offset == null ? "none" : offset.offset())
                        .append('/').append(inputStable.get(partition)).append('/').append(inputEnd.get(partition))
                        .append(startSuffix(inputStart.get(partition)));
            }
            List<TopicPartition> output = sorted(partitions(admin, List.of(outputTopic)));
            Map<TopicPartition, Long> outputStable = stableOffsets(admin, output);
            Map<TopicPartition, Long> outputEnd = endOffsets(admin, output);
            Map<TopicPartition, Long> outputStart = startOffsets(admin, output);
            out.append("\n  out:");
            for (TopicPartition partition : output) {
                out.append(" samples-").append(partition.partition()).append('=').append(outputStable.get(partition))
                        .append('/').append(outputEnd.get(partition)).append(startSuffix(outputStart.get(partition)));
            }
            out.append("\n  open transactions:");
            openTransactions(admin).forEach(listing ->
                    out.append(' ').append(listing.transactionalId()).append('=').append(listing.state()));
        } catch (Exception e) {
            out.append("(broker state unavailable: ").append(e).append(')');
        }
        return out.toString();
    }

    /**
     * Partitions of the input and output topics whose log start offset is above 0: the broker deleted
     * records from them (time or size retention), so whatever they held was never processed or read.
     */
    public Map<TopicPartition, Long> deletedRecords() throws Exception {
        try (Admin admin = broker.admin()) {
            List<String> topics = new ArrayList<>(inputTopics);
            topics.add(outputTopic);
            Map<TopicPartition, Long> deleted = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            startOffsets(admin, partitions(admin, topics)).forEach((partition, start) -> {
                if (start > 0) {
                    deleted.put(partition, start);
                }
            });
            return deleted;
        }
    }

    /** A multi-line report for a failure message. */
    public String describe(Set<String> expected, Map<String, Integer> seen) {
        StringBuilder out = new StringBuilder("--- fail-over diagnostics ---\n");
        out.append("output samples seen: ").append(seen.size()).append(" of ").append(expected.size()).append('\n');
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin);
            Map<TopicPartition, Long> inputStable = stableOffsets(admin, partitions(admin, inputTopics));
            Map<TopicPartition, Long> inputStart = startOffsets(admin, new ArrayList<>(inputStable.keySet()));
            for (TopicPartition partition : sorted(new ArrayList<>(inputStable.keySet()))) {
                OffsetAndMetadata offset = committed.get(partition);
                out.append("input ").append(partition).append(": last stable ").append(inputStable.get(partition))
                        .append(", committed ").append(offset == null ? "none" : offset.offset())
                        .append(", log start ").append(inputStart.get(partition)).append('\n');
            }
            List<TopicPartition> output = partitions(admin, List.of(outputTopic));
            Map<TopicPartition, Long> outputStable = stableOffsets(admin, output);
            Map<TopicPartition, Long> outputEnd = endOffsets(admin, output);
            Map<TopicPartition, Long> outputStart = startOffsets(admin, output);
            for (TopicPartition partition : sorted(output)) {
                out.append("output ").append(partition).append(": high watermark ").append(outputEnd.get(partition))
                        .append(", last stable ").append(outputStable.get(partition))
                        .append(", log start ").append(outputStart.get(partition)).append('\n');
            }
            for (TransactionListing listing : openTransactions(admin)) {
                out.append("transaction ").append(listing.transactionalId()).append(": ").append(listing.state())
                        .append('\n');
            }
        } catch (Exception e) {
            out.append("(broker state unavailable: ").append(e).append(")\n");
        }
        Map<String, Integer> missingByTarget = new TreeMap<>();
        for (String key : expected) {
            if (!seen.containsKey(key)) {
                Matcher matcher = INSTANCE.matcher(key);
                missingByTarget.merge(matcher.find() ? matcher.group(1) : "?", 1, Integer::sum);
            }
        }
        out.append("targets with missing samples: ").append(missingByTarget.size()).append(' ')
                .append(first(missingByTarget, 20)).append('\n');
        Map<String, Integer> duplicated = new TreeMap<>();
        seen.forEach((key, times) -> {
            if (times > 1) {
                duplicated.put(key, times);
            }
        });
        out.append("duplicated samples: ").append(duplicated.size()).append(' ').append(first(duplicated, 5)).append('\n');
        return out.toString();
    }

    /** Waits like Awaitility, but a timeout fails with this report attached. */
    public interface Await {
        void await(String alias, java.time.Duration timeout, java.util.concurrent.Callable<Boolean> condition);
    }

    /**
     * An {@link Await} that polls {@code condition} in the calling thread (it may use a consumer owned by
     * that thread), prints progress every 10 s and explains a timeout with {@link #describe} and the
     * child's log tail.
     */
    public Await explainingAwait(Set<String> expected, Map<String, Integer> seen, Path childLog) {
        long start = System.nanoTime();
        return (alias, timeout, condition) -> {
            long[] lastReport = {System.nanoTime()};
            try {
                org.awaitility.Awaitility.await(alias).atMost(timeout).pollInterval(java.time.Duration.ofMillis(1))
                        .pollInSameThread().until(() -> {
                            if (System.nanoTime() - lastReport[0] > 10_000_000_000L) {
                                lastReport[0] = System.nanoTime();
                                System.out.printf("failover IT +%ds: waiting for %s, %d output samples%n%s%n",
                                        (System.nanoTime() - start) / 1_000_000_000L, alias, seen.size(), offsets());
                            }
                            return condition.call();
                        });
                System.out.printf("failover IT +%ds: %s, %d output samples%n",
                        (System.nanoTime() - start) / 1_000_000_000L, alias, seen.size());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\n" + describe(expected, seen) + "child log tail:\n"
                        + tail(childLog, 40), e);
            }
        };
    }

    /** The last {@code lines} lines of a log file, or a note why there are none. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }

    private static List<TopicPartition> partitions(Admin admin, List<String> topics) throws Exception {
        List<TopicPartition> result = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                description.partitions().forEach(info -> result.add(new TopicPartition(topic, info.partition()))));
        return result;
    }

    private static List<TransactionListing> openTransactions(Admin admin) throws Exception {
        List<TransactionListing> open = new ArrayList<>();
        Collection<TransactionListing> all = admin.listTransactions().all().get(30, TimeUnit.SECONDS);
        for (TransactionListing listing : all) {
            if (listing.state() != TransactionState.COMPLETE_COMMIT && listing.state() != TransactionState.COMPLETE_ABORT
                    && listing.state() != TransactionState.EMPTY) {
                open.add(listing);
            }
        }
        return open;
    }

    private static List<TopicPartition> sorted(List<TopicPartition> partitions) {
        List<TopicPartition> copy = new ArrayList<>(partitions);
        copy.sort(java.util.Comparator.comparing(TopicPartition::toString));
        return copy;
    }

    private static String startSuffix(Long start) {
        return start == null || start == 0 ? "" : "@" + start;
    }

    private static Map<TopicPartition, Long> startOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        return offsets(admin, partitions, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
    }

    private static Map<TopicPartition, Long> stableOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        return offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        return offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
            IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> result.put(partition, info.offset()));
        return result;
    }

    private static String first(Map<String, Integer> map, int count) {
        StringBuilder out = new StringBuilder("{");
        map.entrySet().stream().limit(count).forEach(e -> out.append(e.getKey()).append('=').append(e.getValue()).append(", "));
        return out.append(map.size() > count ? "...}" : "}").toString();
    }
}
