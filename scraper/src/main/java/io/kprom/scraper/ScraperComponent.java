package io.kprom.scraper;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.kafka.Topics;
import io.kprom.common.lifecycle.Component;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.api.TargetsHandler;
import io.kprom.scraper.kafka.KafkaBatchPublisher;
import io.kprom.scraper.kafka.KafkaShardOwnership;
import io.kprom.scraper.remotewrite.RemoteWriteHandler;
import io.kprom.scraper.scrape.HttpClients;
import io.kprom.scraper.scrape.ShardOwnership;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;

/**
 * The scraper: discovers targets of the {@code scrape_configs}, scrapes the ones whose shard this
 * replica owns, publishes one {@code ScrapeBatch} per scrape (and per remote-write request) to
 * {@code metrics.raw}, and serves {@code /api/v1/write} and {@code /api/v1/targets} via {@link #routes()}.
 *
 * <pre>{@code
 * ScraperComponent scraper = new ScraperComponent(config, kafka, kafka, Map.of(), ScraperComponent.Settings.DEFAULT);
 * scraper.start();
 * HttpServer.builder().route("/api/v1/write", scraper.routes().get("/api/v1/write"))...;
 * scraper.reload(newConfig);   // already validated by the caller
 * scraper.close();
 * }</pre>
 *
 * Holds no durable state. {@link #reload} keeps scrapes in flight. Thread-safe.
 */
public final class ScraperComponent implements Component {

    /**
     * Tunables. {@code sharding} false scrapes every target (single replica, no consumer group).
     *
     * @param shards partitions of {@code scrape.shards} when this replica creates the topic
     * @param groupId consumer group of the scraper replicas
     * @param bufferBytes publish buffer capacity (serialized bytes)
     * @param workers concurrent scrapes at most
     * @param syncDelay debounce between a discovery update and applying it to the pools
     * @param maxBatchBytes largest encoded (uncompressed) batch published; a bigger scrape is published as a
     *     failed outcome and counted in {@code kprom_scraper_batches_dropped_total{reason="too_large"}}
     */
    public record Settings(boolean sharding, int shards, String groupId, long bufferBytes, int workers,
            Duration syncDelay, String topic, String shardsTopic, String replica, long maxBatchBytes) {
        public static final Settings DEFAULT = new Settings(true, 64, "kprom-scraper", 256L * 1024 * 1024, 64,
                Duration.ofSeconds(5), Topics.METRICS_RAW, Topics.SCRAPE_SHARDS, defaultReplicaName(),
                KafkaBatchPublisher.DEFAULT_MAX_BATCH_BYTES);

        private static String defaultReplicaName() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.net.UnknownHostException e) {
                    host = "unknown";
                }
            }
            return host;
        }

        /** The replica's name, sent in the scrape User-Agent ({@code kprom/0.1 (replica NAME)}). */
        public Settings withReplica(String value) {
            return new Settings(sharding, shards, groupId, bufferBytes, workers, syncDelay, topic, shardsTopic, value, maxBatchBytes);
        }

        public Settings withSharding(boolean value) {
            return new Settings(value, shards, groupId, bufferBytes, workers, syncDelay, topic, shardsTopic, replica, maxBatchBytes);
        }

        public Settings withShards(int value) {
            return new Settings(sharding, value, groupId, bufferBytes, workers, syncDelay, topic, shardsTopic, replica, maxBatchBytes);
        }

        public Settings withGroupId(String value) {
            return new Settings(sharding, shards, value, bufferBytes, workers, syncDelay, topic, shardsTopic, replica, maxBatchBytes);
        }

        public Settings withSyncDelay(Duration value) {
            return new Settings(sharding, shards, groupId, bufferBytes, workers, value, topic, shardsTopic, replica, maxBatchBytes);
        }

        public Settings withTopics(String rawTopic, String shardTopic) {
            return new Settings(sharding, shards, groupId, bufferBytes, workers, syncDelay, rawTopic, shardTopic, replica, maxBatchBytes);
        }

        public Settings withMaxBatchBytes(long value) {
            return new Settings(sharding, shards, groupId, bufferBytes, workers, syncDelay, topic, shardsTopic, replica, value);
        }

        public Settings withBufferBytes(long value) {
            return new Settings(sharding, shards, groupId, value, workers, syncDelay, topic, shardsTopic, replica, maxBatchBytes);
        }
    }

    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final Map<String, ?> serdeConfig;
    private final Settings settings;
    private volatile PrometheusConfig config;
    private KafkaBatchPublisher publisher;
    private KafkaShardOwnership shardOwnership;
    private HttpClients clients;
    private ScheduledExecutorService scheduler;
    private ThreadPoolExecutor workers;
    private ScrapeManager manager;
    private final Map<String, Handler> routes = new LinkedHashMap<>();
    private volatile boolean started;

    public ScraperComponent(PrometheusConfig config, Map<String, Object> producerConfig,
            Map<String, Object> consumerConfig, Map<String, ?> serdeConfig, Settings settings) {
        this.config = config;
        this.producerConfig = Map.copyOf(producerConfig);
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.serdeConfig = serdeConfig;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "scraper";
    }

    @Override
    public synchronized void start() throws Exception {
        publisher = new KafkaBatchPublisher(producerConfig, KpromSerdes.scrapeBatch(serdeConfig).serializer(),
                settings.topic(), settings.bufferBytes(), settings.maxBatchBytes());
        ShardOwnership shards = ShardOwnership.ALL;
        if (settings.sharding()) {
            shardOwnership = new KafkaShardOwnership(consumerConfig, settings.shardsTopic(), settings.groupId(),
                    settings.shards());
            shards = shardOwnership;
        }
        clients = new HttpClients();
        AtomicInteger threadCount = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "kprom-scrape-scheduler-" + threadCount.incrementAndGet()));
        workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.workers() * 16),
                r -> daemon(r, "kprom-scrape-worker-" + threadCount.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        manager = new ScrapeManager(clients, publisher, shards, scheduler, workers, settings.syncDelay(),
                "kprom/0.1 (replica " + settings.replica() + ")");
        manager.apply(config);
        routes.put("/api/v1/write", new RemoteWriteHandler(publisher));
        routes.put("/api/v1/targets", new TargetsHandler(manager::pools));
        started = true;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Applies a new, already validated config; scrapes in flight complete. */
    public synchronized void reload(PrometheusConfig newConfig) throws Exception {
        this.config = newConfig;
        if (manager != null) {
            manager.apply(newConfig);
        }
    }

    /** HTTP handlers to mount: {@code /api/v1/write} and {@code /api/v1/targets} (available after {@link #start()}). */
    public synchronized Map<String, Handler> routes() {
        return Map.copyOf(routes);
    }

    /** Shard ownership (null when sharding is off), for tests and diagnostics. */
    public KafkaShardOwnership shardOwnership() {
        return shardOwnership;
    }

    @Override
    public boolean ready() {
        if (!started) {
            return false;
        }
        try {
            return shardOwnership == null || shardOwnership.awaitAssignment(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        started = false;
        if (manager != null) {
            manager.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (shardOwnership != null) {
            shardOwnership.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (clients != null) {
            clients.close();
        }
    }
}
