package io.kprom.evaluator;

import io.kprom.common.config.GlobalConfig;
import io.kprom.common.lifecycle.Component;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.RuleFileLoader;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleHealth;
import io.kprom.promql.rules.Rule;
import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.scrape.HttpClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert evaluator: loads the alerting (and recording) rule groups this instance owns, keeps
 * the series they select from {@code metrics.samples} in a {@link WindowStore}, evaluates each
 * group at multiples of its interval, notifies Alertmanagers, publishes {@code AlertEvent}s to the
 * {@code alerts} topic, writes {@code ALERTS}/{@code ALERTS_FOR_STATE} back to {@code metrics.samples},
 * and keeps alert state in a compacted topic so a restart resumes where it left off.
 *
 * <pre>{@code
 * AlertEvaluatorComponent evaluator = new AlertEvaluatorComponent(EvaluatorSettings.builder()
 *     .bootstrapServers("kafka:9092").prometheusConfig(config).ruleFiles(config.resolvedRuleFiles()).build());
 * evaluator.start();
 * HttpServer.builder().route("/api/v1/rules", evaluator.routes().get("/api/v1/rules"))...
 * }</pre>
 *
 * Lifecycle per {@link Component}; {@link #routes()} may be called before {@link #start()} (handlers
 * answer with no groups until started). Groups are evaluated only after the window has caught up
 * with the topic, so a restart never evaluates against an empty window.
 */
public final class AlertEvaluatorComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluatorComponent.class);
    /** How far beyond the rules' own ranges the window reaches: the lookback delta. */
    private static final long LOOKBACK_MILLIS = QueryOptions.DEFAULT_LOOKBACK_DELTA.toMillis();

    private final EvaluatorSettings settings;
    private volatile List<RuleGroup> groups = List.of();
    private final Map<RuleGroup, Long> nextEvaluation = new HashMap<>();
    private volatile SamplesConsumer consumer;
    private volatile BrokerContact brokerContact;
    private WindowStore window;
    private KafkaProducer<String, SeriesBatch> seriesProducer;
    private KafkaProducer<String, AlertEvent> eventProducer;
    private KafkaProducer<String, String> stateProducer;
    private volatile AlertmanagerNotifier notifier;
    private HttpClients httpClients;
    private List<AlertmanagerSet> alertmanagerSets = List.of();
    private AlertStateStore stateStore;
    private volatile Thread scheduler;
    private volatile boolean running;

    public AlertEvaluatorComponent(EvaluatorSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "alert-evaluator";
    }

    /** HTTP handlers: {@code /api/v1/rules} and {@code /api/v1/alerts}. */
    public Map<String, Handler> routes() {
        return RulesApi.routes(() -> groups);
    }

    /** The rule groups this instance evaluates (empty before start). */
    public List<RuleGroup> groups() {
        return groups;
    }

    @Override
    public void start() throws Exception {
        List<RuleGroupSpec> specs = new ArrayList<>();
        for (RuleGroupSpec spec : RuleFileLoader.standard().loadAll(settings.ruleFiles())) {
            if (settings.owns(spec.key())) {
                specs.add(spec);
            }
        }
        GlobalConfig global = settings.prometheusConfig().global();
        RuleSelectors selectors = RuleSelectors.of(specs);
        long maxOffset = 0;
        for (RuleGroupSpec spec : specs) {
            maxOffset = Math.max(maxOffset, spec.queryOffsetOr(global.ruleQueryOffset()).toMillis());
        }
        window = new WindowStore(selectors.maxLookbackMillis() + LOOKBACK_MILLIS + maxOffset + 60_000);

        Map<String, Object> kafka = new HashMap<>(settings.kafkaConfig());
        try (Admin admin = Admin.create(kafka)) {
            AlertStateStore.ensureTopic(admin, settings.stateTopic(), settings.stateTopicReplication());
            int partitions = admin.describeTopics(List.of(settings.samplesTopic())).allTopicNames().get()
                    .get(settings.samplesTopic()).partitions().size();
            Map<String, Object> producerConfig = new HashMap<>(kafka);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            seriesProducer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    KpromSerdes.seriesBatch(producerConfig).serializer());
            eventProducer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    KpromSerdes.alertEvent(producerConfig).serializer());
            stateProducer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
            stateStore = new AlertStateStore(stateProducer, settings.stateTopic());
            Map<String, List<Alert>> remembered = stateStore.load(kafka);

            httpClients = new HttpClients();
            alertmanagerSets = AlertmanagerSet.fromConfig(settings.prometheusConfig().alerting(), httpClients,
                    settings.alertmanagerDiscovery(), () -> {
                        AlertmanagerNotifier current = notifier;
                        if (current != null) {
                            current.alertmanagersChanged();
                        }
                    });
            notifier = new AlertmanagerNotifier(alertmanagerSets, global.externalLabels(),
                    settings.prometheusConfig().alerting().alertRelabelConfigs(), settings.externalUrl(),
                    AlertmanagerNotifier.DEFAULT_QUEUE_CAPACITY);
            alertmanagerSets.forEach(AlertmanagerSet::start);
            PromqlEngine engine = new PromqlEngine();
            List<RuleGroup> built = new ArrayList<>();
            for (RuleGroupSpec spec : specs) {
                SeriesBatchAppender appender = new SeriesBatchAppender(seriesProducer, settings.samplesTopic(), partitions);
                RuleGroup group = RuleGroup.builder(spec)
                        .defaultInterval(global.evaluationInterval())
                        .defaultQueryOffset(global.ruleQueryOffset())
                        .queryEngine(engine, window, QueryOptions.defaults())
                        .appender(new AlertOutputAppender(appender, spec))
                        .notifier(notifier)
                        .transitions(new AlertEventPublisher(eventProducer, settings.alertsTopic(), spec.name(),
                                settings.externalUrl(), settings.clock()))
                        .externalLabels(global.externalLabels())
                        .externalUrl(settings.externalUrl())
                        .resendDelay(settings.resendDelay())
                        .build();
                List<Alert> alerts = remembered.getOrDefault(spec.key(), List.of());
                group.alertingRules().forEach(rule -> rule.restore(alerts));
                built.add(group);
            }
            groups = List.copyOf(built);
        }
        brokerContact = new BrokerContact(settings.brokerUnreachableAfter(), System::nanoTime);
        consumer = new SamplesConsumer(kafka, settings.samplesTopic(), window, selectors, settings.clock(), brokerContact);
        consumer.start();
        running = true;
        scheduler = new Thread(this::schedule, "evaluator-scheduler");
        scheduler.setDaemon(true);
        scheduler.start();
        LOG.info("alert evaluator {} of {} evaluates {} rule groups", settings.instanceIndex(), settings.instanceCount(),
                groups.size());
    }

    /** Whether the window holds a sample of the series at exactly {@code timestampMillis} (for tests and debugging). */
    public boolean windowContains(io.kprom.common.labels.Labels labels, long timestampMillis) {
        if (window == null) {
            return false;
        }
        try (var querier = window.querier(timestampMillis, timestampMillis);
                var set = querier.select(false, null, java.util.List.of(
                        io.kprom.common.labels.LabelMatcher.equal("__name__", labels.metricName())))) {
            while (set.next()) {
                if (set.labels().equals(labels) && set.samples().length() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True once the window has caught up with {@code metrics.samples} and while the broker answers:
     * false when no broker has answered for {@code brokerUnreachableAfter} (the evaluator can then
     * neither read new samples nor publish alerts and state), true again at the next answer. Also
     * false when the scheduler thread has died.
     */
    @Override
    public boolean ready() {
        SamplesConsumer current = consumer;
        Thread evaluating = scheduler;
        return current != null && current.caughtUp() && brokerContact.reachable()
                && evaluating != null && evaluating.isAlive();
    }

    private void schedule() {
        try {
            while (running && !consumer.awaitCaughtUp(Duration.ofMillis(200))) {
                // wait: never evaluate an unfilled window
            }
            while (running) {
                long now = settings.clock().getAsLong();
                for (RuleGroup group : groups) {
                    Long next = nextEvaluation.get(group);
                    if (next == null) {
                        // First evaluation at the next multiple of the interval, as Prometheus aligns.
                        next = group.alignedTimestamp(now) + group.intervalMillis();
                        nextEvaluation.put(group, next);
                    }
                    if (now < next) {
                        continue;
                    }
                    long ts = next;
                    long missed = (now - next) / group.intervalMillis();
                    if (missed > 0) {
                        EvaluatorMetrics.GROUP_ITERATIONS_MISSED.labelValues(group.spec().key()).inc(missed);
                        ts = group.alignedTimestamp(now);
                    }
                    evaluate(group, ts);
                    nextEvaluation.put(group, ts + group.intervalMillis());
                }
                Thread.sleep(settings.tickMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("rule scheduler stopped", e);
        }
    }

    private void evaluate(RuleGroup group, long timestampMillis) {
        String key = group.spec().key();
        group.evaluate(timestampMillis);
        EvaluatorMetrics.RULE_EVALUATIONS.labelValues(key).inc(group.rules().size());
        for (Rule rule : group.rules()) {
            if (rule.health() == RuleHealth.ERR) {
                EvaluatorMetrics.RULE_EVALUATION_FAILURES.labelValues(key).inc();
                LOG.warn("rule {} in group {} failed: {}", rule.name(), key, rule.lastError());
            }
        }
        EvaluatorMetrics.GROUP_LAST_DURATION.labelValues(key).set(group.evaluationDurationNanos() / 1e9);
        stateStore.persist(group);
        stateProducer.flush();
        eventProducer.flush();
        seriesProducer.flush();
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (scheduler != null) {
            scheduler.interrupt();
            scheduler.join(10_000);
        }
        if (consumer != null) {
            consumer.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        for (AlertmanagerSet set : alertmanagerSets) {
            set.close();
        }
        if (httpClients != null) {
            httpClients.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {seriesProducer, eventProducer, stateProducer}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }
}
