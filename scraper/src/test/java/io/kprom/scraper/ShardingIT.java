package io.kprom.scraper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.scraper.scrape.TestTarget;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three scraper replicas share 30 loopback targets through the scrape.shards consumer group: every
 * target is scraped by exactly one replica in steady state; a stopped replica's targets are taken
 * over within two intervals after the rebalance; handovers never overlap by more than one interval.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ShardingIT {
    private static final long INTERVAL_MILLIS = 2000;
    private static final int TARGETS = 30;
    private static final int SHARDS = 12;
    private static final Pattern IDX = Pattern.compile("idx=(\\d+)");
    private static final Pattern REPLICA = Pattern.compile("replica (r\\d)");

    private record Scrape(int target, String replica, long timeMillis) {
    }

    @Test
    void replicasShareTargetsAndTakeOverFromAStoppedReplica(KafkaBroker broker) throws Exception {
        String suffix = UUID.randomUUID().toString();
        String rawTopic = "raw-" + suffix;
        String shardsTopic = "shards-" + suffix;
        broker.createTopics(1, rawTopic);
        try (TestTarget endpoint = new TestTarget()) {
            endpoint.answer(200, "text/plain", "up_probe 1\n");
            StringBuilder yaml = new StringBuilder("""
                    scrape_configs:
                      - job_name: sharded
                        scrape_interval: 2s
                        scrape_timeout: 1s
                        relabel_configs:
                          - source_labels: [idx]
                            target_label: __param_idx
                        static_configs:
                    """);
            for (int i = 0; i < TARGETS; i++) {
                yaml.append("      - targets: ['").append(endpoint.address()).append("']\n")
                        .append("        labels: {idx: '").append(i).append("'}\n");
            }
            PrometheusConfig config = TestConfigs.config(yaml.toString());
            Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
            List<ScraperComponent> replicas = new ArrayList<>();
            try {
                for (int r = 0; r < 3; r++) {
                    ScraperComponent replica = new ScraperComponent(config, kafka, kafka, Map.of(),
                            ScraperComponent.Settings.DEFAULT.withShards(SHARDS).withGroupId("g-" + suffix)
                                    .withTopics(rawTopic, shardsTopic).withSyncDelay(Duration.ofMillis(100))
                                    .withReplica("r" + r));
                    replica.start();
                    replicas.add(replica);
                }
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> partitionedAmong(replicas, 3));
                assertThat(replicas).allSatisfy(r -> assertThat(r.ready()).isTrue());

                // Steady state: after one quiet interval, a window of three intervals.
                Thread.sleep(INTERVAL_MILLIS);
                long windowStart = System.currentTimeMillis();
                Thread.sleep(3 * INTERVAL_MILLIS);
                long windowEnd = System.currentTimeMillis();
                Map<Integer, Set<String>> scrapersInWindow = new HashMap<>();
                for (Scrape s : scrapes(endpoint)) {
                    if (s.timeMillis() >= windowStart && s.timeMillis() < windowEnd) {
                        scrapersInWindow.computeIfAbsent(s.target(), k -> new HashSet<>()).add(s.replica());
                    }
                }
                assertThat(scrapersInWindow).hasSize(TARGETS);
                assertThat(scrapersInWindow.values()).allSatisfy(set -> assertThat(set).hasSize(1));
                Set<Integer> ofStopped = new HashSet<>();
                scrapersInWindow.forEach((target, set) -> {
                    if (set.contains("r0")) {
                        ofStopped.add(target);
                    }
                });
                assertThat(ofStopped).isNotEmpty();

                // Stop r0; the remaining two take over its shards.
                replicas.get(0).close();
                List<ScraperComponent> remaining = replicas.subList(1, 3);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> partitionedAmong(remaining, 2));
                long rebalanced = System.currentTimeMillis();
                Thread.sleep(2 * INTERVAL_MILLIS + 1000);
                Map<Integer, Long> firstTakeover = new HashMap<>();
                for (Scrape s : scrapes(endpoint)) {
                    if (ofStopped.contains(s.target()) && !s.replica().equals("r0") && s.timeMillis() >= rebalanced - INTERVAL_MILLIS) {
                        firstTakeover.merge(s.target(), s.timeMillis(), Math::min);
                    }
                }
                assertThat(firstTakeover.keySet()).containsExactlyInAnyOrderElementsOf(ofStopped);
                // Within two intervals after the rebalance (plus scheduling slack on a busy machine).
                assertThat(firstTakeover.values()).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(rebalanced + 2 * INTERVAL_MILLIS + 500));
            } finally {
                for (int r = 1; r < replicas.size(); r++) {
                    replicas.get(r).close();
                }
            }
            assertNoLongOverlaps(scrapes(endpoint));
        }
    }

    /** Each pair of replicas scraped a target together for at most one interval (plus slack). */
    private static void assertNoLongOverlaps(List<Scrape> scrapes) {
        Map<Integer, Map<String, long[]>> spans = new HashMap<>();
        for (Scrape s : scrapes) {
            long[] span = spans.computeIfAbsent(s.target(), k -> new HashMap<>())
                    .computeIfAbsent(s.replica(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            span[0] = Math.min(span[0], s.timeMillis());
            span[1] = Math.max(span[1], s.timeMillis());
        }
        spans.forEach((target, byReplica) -> {
            List<long[]> list = new ArrayList<>(byReplica.values());
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    long overlap = Math.min(list.get(i)[1], list.get(j)[1]) - Math.max(list.get(i)[0], list.get(j)[0]);
                    assertThat(overlap).as("overlap of replicas on target %d", target).isLessThanOrEqualTo(INTERVAL_MILLIS + 500);
                }
            }
        });
    }

    /** True when the replicas' owned shards are disjoint, cover all shards, and each owns some. */
    private static boolean partitionedAmong(List<ScraperComponent> replicas, int count) {
        BitSet union = new BitSet();
        int total = 0;
        for (ScraperComponent replica : replicas) {
            BitSet owned = replica.shardOwnership().ownedShards();
            if (owned.isEmpty()) {
                return false;
            }
            total += owned.cardinality();
            union.or(owned);
        }
        return replicas.size() == count && union.cardinality() == SHARDS && total == SHARDS;
    }

    private static List<Scrape> scrapes(TestTarget endpoint) {
        List<Scrape> out = new ArrayList<>();
        for (Map<String, String> request : endpoint.requests()) {
            Matcher idx = IDX.matcher(request.get(":uri"));
            Matcher replica = REPLICA.matcher(request.getOrDefault("User-Agent", ""));
            if (idx.find() && replica.find()) {
                out.add(new Scrape(Integer.parseInt(idx.group(1)), replica.group(1), Long.parseLong(request.get(":time"))));
            }
        }
        return out;
    }
}
