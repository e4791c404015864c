package io.kprom.processor;

import io.kprom.common.config.ConfigException;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.lifecycle.Component;
import io.kprom.processor.config.PrometheusConfigSettings;
import io.kprom.processor.rules.RecordingGroups;
import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.RuleFileLoader;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleLoadException;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.kafka.CountingDeserializationExceptionHandler;
import io.kprom.processor.kafka.CountingProcessingExceptionHandler;
import io.kprom.processor.kafka.StreamsReadiness;
import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.KafkaReachability;
import io.kprom.processor.metrics.ProcessorMetrics;
import io.kprom.processor.metrics.StreamsMetricsBridge;
import io.kprom.processor.retention.RetentionMonitor;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.target.LocalTargetCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams processor as a kprom {@link Component}: creates missing topics, then runs the
 * {@link ProcessorTopology} with {@code exactly_once_v2}. Several instances with the same
 * application id share the partitions; {@code standbyReplicas} keeps warm copies of the state.
 *
 * <pre>{@code
 * ProcessorComponent processor = new ProcessorComponent(settings, evaluator,
 *     ProcessorOptions.of("localhost:9092", "kprom-processor", "/var/lib/kprom/processor"));
 * processor.start();
 * }</pre>
 *
 * <p>{@link #ready()} is true while the Kafka cluster answers (a {@link KafkaReachability} probe)
 * and the Streams state allows progress ({@link StreamsReadiness}: {@code RUNNING}, or
 * {@code REBALANCING} for less than {@link ProcessorOptions#readinessGrace()}); it turns false when
 * the broker is unreachable or the application is stuck, and true again once it recovers.
 *
 * Lifecycle: {@link #start()} once, {@link #close()} once; {@link #ready()} is thread-safe.
 */
public final class ProcessorComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorComponent.class);
    /** {@code producer.transaction.timeout.ms}: the longest a fail-over waits for a dead instance's transaction. */
    public static final int TRANSACTION_TIMEOUT_MS = 30_000;
    /** How often a running instance looks for input records deleted by retention on the partitions it owns. */
    static final Duration RETENTION_CHECK_INTERVAL = Duration.ofSeconds(30);

    private final ProcessorSettings requestedSettings;
    private final GroupEvaluator evaluator;
    private final ProcessorOptions options;
    private volatile KafkaStreams streams;
    private volatile ProcessorSettings settings;
    private volatile StreamsReadiness readiness;
    private volatile KafkaReachability kafka;
    private volatile RetentionMonitor retention;

    /**
     * The processor for a loaded {@code prometheus.yml}: job policies from its scrape configs,
     * recording rules from its {@code rule_files} (alerting rules are left to the alert evaluator),
     * evaluated with {@link PromqlEngine}.
     *
     * @throws ConfigException when a rule file glob cannot be resolved
     * @throws RuleLoadException when a rule file is invalid
     */
    public ProcessorComponent(PrometheusConfig config, ProcessorOptions options) throws ConfigException, RuleLoadException {
        this(settingsFor(config, options), new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults()), options);
    }

    static ProcessorSettings settingsFor(PrometheusConfig config, ProcessorOptions options)
            throws ConfigException, RuleLoadException {
        List<RuleGroupSpec> specs = RuleFileLoader.standard().loadAll(config.resolvedRuleFiles());
        Duration globalOffset = config.global().ruleQueryOffset();
        Duration defaultOffset = globalOffset == null || globalOffset.isZero()
                ? ProcessorSettings.DEFAULT_RULE_QUERY_OFFSET : globalOffset;
        long lookback = QueryOptions.DEFAULT_LOOKBACK_DELTA.toMillis();
        return PrometheusConfigSettings.jobs(config, ProcessorSettings.builder())
                .seriesLimits(options.seriesLimits())
                .targetExpiry(options.targetExpiryIntervals(), Duration.ofSeconds(15))
                .lookbackDeltaMillis(lookback)
                .ruleGroups(RecordingGroups.fromSpecs(specs, config.global().evaluationInterval(), defaultOffset, lookback))
                .build();
    }

    public ProcessorComponent(ProcessorSettings settings, GroupEvaluator evaluator, ProcessorOptions options) {
        this.requestedSettings = settings;
        this.evaluator = evaluator;
        this.options = options;
        ProcessorMetrics.init();
    }

    @Override
    public String name() {
        return "processor";
    }

    /** The settings in effect (shard count taken from the existing {@code metrics.samples}); null before start. */
    public ProcessorSettings settings() {
        return settings;
    }

    @Override
    public void start() throws Exception {
        settings = prepareTopics();
        Properties props = streamsProperties(options.extra(), options.applicationId(), options.bootstrapServers(),
                options.stateDir(), options.standbyReplicas());
        KafkaStreams kafkaStreams = new KafkaStreams(ProcessorTopology.build(settings, evaluator, new LocalTargetCounts(),
                this::brokerReachable), props);
        kafkaStreams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread died; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        StreamsReadiness streamsReadiness = new StreamsReadiness(options.readinessGrace(), System::currentTimeMillis);
        kafkaStreams.setStateListener((newState, oldState) -> {
            streamsReadiness.onStateChange(newState);
            LOG.info("processor streams state {} -> {}", oldState, newState);
        });
        readiness = streamsReadiness;
        kafka = KafkaReachability.start(adminConfig(), KafkaReachability.Settings.DEFAULT);
        streams = kafkaStreams;
        StreamsMetricsBridge.register(kafkaStreams, options.applicationId() + "-" + System.identityHashCode(kafkaStreams));
        retention = startRetentionMonitor(kafkaStreams);
        kafkaStreams.start();
    }

    /**
     * Counts input records retention deleted while the application was down: the committed offsets are
     * checked before Streams starts (it would reset them silently to the log start), then every
     * {@link #RETENTION_CHECK_INTERVAL} for the partitions this instance owns.
     */
    private RetentionMonitor startRetentionMonitor(KafkaStreams kafkaStreams) {
        Properties adminProps = new Properties();
        adminProps.putAll(adminConfig());
        RetentionMonitor monitor = new RetentionMonitor(Admin.create(adminProps), options.applicationId(),
                List.of(settings.rawTopic(), settings.seriesTopic(), settings.ruleInputTopic()));
        try {
            monitor.checkAll();
        } catch (Exception e) {
            // Not fatal: the periodic check may still see the gap if Streams has not committed past it yet.
            LOG.warn("could not check input offsets against retention before starting: {}", e.toString());
        }
        monitor.startPeriodic(RETENTION_CHECK_INTERVAL, () -> ownedPartitions(kafkaStreams));
        return monitor;
    }

    private static Set<TopicPartition> ownedPartitions(KafkaStreams kafkaStreams) {
        Set<TopicPartition> owned = new HashSet<>();
        try {
            kafkaStreams.metadataForLocalThreads().forEach(thread ->
                    thread.activeTasks().forEach(task -> owned.addAll(task.topicPartitions())));
        } catch (RuntimeException e) {
            // Not running (yet or any more): nothing owned.
            return Set.of();
        }
        return owned;
    }

    private boolean brokerReachable() {
        KafkaReachability cluster = kafka;
        return cluster != null && cluster.reachable();
    }

    @Override
    public boolean ready() {
        StreamsReadiness state = readiness;
        KafkaReachability cluster = kafka;
        return state != null && cluster != null && cluster.reachable() && state.ready();
    }

    /** Why {@link #ready()} answers as it does (for logs and diagnostics). */
    public String readinessDescription() {
        StreamsReadiness state = readiness;
        KafkaReachability cluster = kafka;
        if (state == null || cluster == null) {
            return "not started";
        }
        return state.describe() + ", kafka " + (cluster.reachable() ? "reachable" : "unreachable");
    }

    /** The running Kafka Streams client (for tests and diagnostics); null before start. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stops within the timeout; {@code Duration.ZERO} abandons in-flight transactions (as a crash would). */
    public void close(Duration timeout) {
        KafkaStreams current = streams;
        if (current != null) {
            StreamsMetricsBridge.unregister(current);
            current.close(timeout);
        }
        KafkaReachability cluster = kafka;
        if (cluster != null) {
            cluster.close();
        }
        RetentionMonitor monitor = retention;
        if (monitor != null) {
            monitor.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Kafka Streams properties kprom runs with; {@code extra} overrides them. */
    public static Properties streamsProperties(Map<String, Object> extra, String applicationId, String bootstrapServers,
            String stateDir, int standbyReplicas) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, CountingDeserializationExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CountingProcessingExceptionHandler.class);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 8 * 1024 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // A transaction's first write to a partition can meet the previous transaction's markers still in
        // flight (CONCURRENT_TRANSACTIONS, transactions v2); retry soon rather than after 100 ms, as the
        // client itself does for AddPartitionsToTxn.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 20);
        // Streams' exactly-once default is 10 s. A transaction that outlives it is aborted by the coordinator,
        // which fences the producer: every task of the thread is closed dirty, its stores wiped and restored,
        // its input reprocessed. On a loaded host (GC, a slow first transaction, a slow broker) 10 s is
        // reached, and if every retry takes as long the application stops making progress. The price of a
        // longer timeout: after a crash, the dead instance's open transaction holds read_committed readers
        // (the survivor, the sink) back on the partitions it wrote until the timeout aborts it.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), TRANSACTION_TIMEOUT_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.putAll(extra);
        return props;
    }

    /** Admin client settings: the defaults plus any admin-level keys of {@code extra} (security, timeouts). */
    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new HashMap<>(KafkaClientDefaults.admin(options.bootstrapServers()));
        options.extra().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        return config;
    }

    private ProcessorSettings prepareTopics() throws Exception {
        Properties adminProps = new Properties();
        adminProps.putAll(adminConfig());
        String seriesTopic = options.applicationId() + "-series";
        String ruleInputTopic = options.applicationId() + "-rule-input";
        ProcessorSettings base = requestedSettings;
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(base.rawTopic())) {
                missing.add(new NewTopic(base.rawTopic(), options.rawPartitions(), options.replicationFactor()));
            }
            if (!existing.contains(base.samplesTopic())) {
                missing.add(new NewTopic(base.samplesTopic(), options.samplesPartitions(), options.replicationFactor()));
            }
            if (!existing.contains(base.metadataTopic())) {
                missing.add(new NewTopic(base.metadataTopic(), 1, options.replicationFactor())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            createAll(admin, missing);
            int shards = partitions(admin, base.samplesTopic());
            missing.clear();
            // The internal topics only carry data between stages: a day of retention covers any sane lag.
            Map<String, String> internal = Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "8388608");
            if (!existing.contains(seriesTopic)) {
                missing.add(new NewTopic(seriesTopic, shards, options.replicationFactor()).configs(internal));
            }
            if (!existing.contains(ruleInputTopic)) {
                missing.add(new NewTopic(ruleInputTopic, options.ruleInputPartitions(), options.replicationFactor())
                        .configs(internal));
            }
            createAll(admin, missing);
            int seriesPartitions = partitions(admin, seriesTopic);
            if (seriesPartitions != shards) {
                throw new IllegalStateException(seriesTopic + " has " + seriesPartitions + " partitions but "
                        + base.samplesTopic() + " has " + shards + "; they must be equal (recreate " + seriesTopic + ")");
            }
            return base.toBuilder().seriesShards(shards).ruleInputPartitions(partitions(admin, ruleInputTopic))
                    .topics(base.rawTopic(), base.samplesTopic(), base.metadataTopic(), seriesTopic, ruleInputTopic)
                    .build();
        }
    }

    private static void createAll(Admin admin, List<NewTopic> topics) throws Exception {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        // A topic created a moment ago may not be in the broker's metadata yet.
        for (int attempt = 0; ; attempt++) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                return description.partitions().size();
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || attempt >= 50) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
