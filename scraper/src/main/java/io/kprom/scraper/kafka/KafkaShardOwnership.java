package io.kprom.scraper.kafka;

import io.kprom.scraper.scrape.ScraperMetrics;
import io.kprom.scraper.scrape.ShardOwnership;
import java.time.Duration;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shard ownership from a Kafka consumer group on {@code scrape.shards} (N partitions, no data): every
 * scraper replica joins the same group with the cooperative-sticky assignor, and owns exactly the
 * partitions assigned to it. Revocations apply before the new owner's assignment (cooperative
 * protocol), so a target is not scraped twice across a rebalance. The topic is created when missing.
 * Owns one polling thread; {@link #close()} leaves the group so others take over at once.
 */
public final class KafkaShardOwnership implements ShardOwnership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaShardOwnership.class);

    private final String topic;
    private final int shards;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final CountDownLatch firstAssignment = new CountDownLatch(1);
    private volatile BitSet owned = new BitSet();
    private volatile boolean closed;

    /**
     * @param clientConfig Kafka client settings (bootstrap.servers, security, ...)
     * @param groupId the scraper replicas' group
     * @param defaultShards partitions to create the topic with when it does not exist
     */
    public KafkaShardOwnership(Map<String, Object> clientConfig, String topic, String groupId, int defaultShards) {
        this.topic = topic;
        this.shards = ensureTopic(clientConfig, topic, defaultShards);
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        config.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 60_000);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kprom-scraper-shards");
        consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        poller = new Thread(this::pollLoop, "kprom-scraper-shards");
        poller.setDaemon(true);
        poller.start();
    }

    private static int ensureTopic(Map<String, Object> clientConfig, String topic, int defaultShards) {
        try (Admin admin = Admin.create(clientConfig)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, defaultShards, (short) -1))).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing " + topic, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getMessage(), e);
        }
    }

    private void pollLoop() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    update(partitions, false);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    update(partitions, true);
                    firstAssignment.countDown();
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    update(partitions, false);
                }
            });
            while (!closed) {
                consumer.poll(Duration.ofMillis(500));
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.warn("shard consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("shard consumer failed; this replica owns no shards now", e);
            owned = new BitSet();
            ScraperMetrics.OWNED_SHARDS.set(0);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void update(Collection<TopicPartition> partitions, boolean add) {
        BitSet next = (BitSet) owned.clone();
        for (TopicPartition partition : partitions) {
            next.set(partition.partition(), add);
        }
        owned = next;
        ScraperMetrics.OWNED_SHARDS.set(next.cardinality());
        LOG.info("scrape shards {} {}; now owning {}", add ? "assigned" : "revoked", partitions.size(), next);
    }

    /** Waits until the group assigned this replica its first partitions (possibly none). */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public boolean owns(int shard) {
        return owned.get(shard);
    }

    /** Snapshot of the owned shards. */
    public BitSet ownedShards() {
        return (BitSet) owned.clone();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        poller.join(10_000);
        owned = new BitSet();
        ScraperMetrics.OWNED_SHARDS.set(0);
    }
}
