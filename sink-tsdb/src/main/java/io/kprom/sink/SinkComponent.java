package io.kprom.sink;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.kafka.Topics;
import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.lifecycle.Component;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.sink.api.PrometheusApi;
import io.kprom.sink.api.PromqlParserSyntax;
import io.kprom.sink.api.StatusInfo;
import io.kprom.sink.api.TsdbAdmin;
import io.kprom.sink.api.kafka.MetadataConsumer;
import io.kprom.sink.ingest.IngestOptions;
import io.kprom.sink.ingest.SamplesConsumer;
import io.kprom.sink.remotewrite.kafka.RemoteWriteService;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import io.kprom.sink.storage.TsdbStats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink: RocksDB store fed exactly once from {@code metrics.samples}, the Prometheus HTTP API
 * over it, the {@code metrics.metadata} reader and remote write to every {@code remote_write}.
 *
 * <pre>{@code
 * SinkComponent sink = new SinkComponent(SinkOptions.defaults(Path.of("data")), PrometheusConfig.load(file),
 *     Map.of("bootstrap.servers", brokers));
 * sink.start();
 * HttpServer.Builder http = HttpServer.builder().listenAddress(":9090").webConfigFile(webConfig)
 *     .readiness(sink::ready);
 * sink.routes().forEach(http::route);
 * http.build().start();
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #routes()} and {@link #ready()}; {@link #close()}
 * once (stops remote write, metadata and ingest, then closes the store). Thread-safe after start.
 */
public final class SinkComponent implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(SinkComponent.class);
    /** The Prometheus API version reported by buildinfo; Grafana chooses features from it. */
    public static final String API_VERSION = "3.0.0";

    private final SinkOptions options;
    private final PrometheusConfig config;
    private final Map<String, Object> kafka;
    private final QueryEngine engine;
    private final String groupId;
    private SeriesStore store;
    private SamplesConsumer ingest;
    private MetadataConsumer metadata;
    private RemoteWriteService remoteWrite;
    private PrometheusApi api;
    private ReadinessLatch readiness;

    /**
     * @param kafka Kafka client properties; {@code bootstrap.servers} is required, the rest
     *     (security settings) is passed to every consumer
     */
    public SinkComponent(SinkOptions options, PrometheusConfig config, Map<String, Object> kafka) {
        this(options, config, kafka, new PromqlEngine(), "kprom-sink");
    }

    /** With an explicit engine and ingest consumer group (replica groups for HA use distinct groups). */
    public SinkComponent(SinkOptions options, PrometheusConfig config, Map<String, Object> kafka, QueryEngine engine,
            String groupId) {
        this.options = Objects.requireNonNull(options, "options");
        this.config = Objects.requireNonNull(config, "config");
        this.kafka = Map.copyOf(kafka);
        this.engine = Objects.requireNonNull(engine, "engine");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        if (!kafka.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("kafka properties need bootstrap.servers");
        }
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public void start() throws Exception {
        Instant startTime = Instant.now();
        store = SeriesStore.open(options.storagePath(), StoreOptions.builder()
                .retentionTime(options.retentionTime())
                .retentionSizeBytes(options.retentionSizeBytes())
                .build());
        try {
            String bootstrap = kafka.get("bootstrap.servers").toString();
            Map<String, Object> overrides = new HashMap<>(kafka);
            overrides.remove("bootstrap.servers");
            ingest = SamplesConsumer.start(store, IngestOptions.builder(bootstrap).groupId(groupId)
                    .consumerOverrides(overrides).build());
            readiness = new ReadinessLatch(() -> ingest.caughtUp(options.readyMaxLag()), ingest::stuck);
            metadata = MetadataConsumer.start(Topics.METRICS_METADATA, kafka);
            remoteWrite = new RemoteWriteService(config.remoteWrite(), config.global().externalLabels(),
                    Topics.METRICS_SAMPLES, kafka);
            remoteWrite.start();
            SeriesStore opened = store;
            api = PrometheusApi.builder()
                    .engine(engine)
                    .storage(opened.queryable())
                    .syntax(new PromqlParserSyntax())
                    .metadata(metadata)
                    .tsdb(new StoreAdmin(opened))
                    .status(new StatusInfo(API_VERSION, "kprom-" + version(), "kprom", startTime, options.flags(),
                            config::sourceText, options.retentionDescription()))
                    .limits(options.queryLimits())
                    .adminEnabled(options.enableAdminApi())
                    .build();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The HTTP routes to mount on the component's listener (available after {@link #start()}). */
    public Map<String, Handler> routes() {
        if (api == null) {
            throw new IllegalStateException("start() the sink before asking for its routes");
        }
        return api.routes();
    }

    /** Ready once ingestion has caught up (lag at most readyMaxLag), and no longer when it is stuck. */
    @Override
    public boolean ready() {
        ReadinessLatch latch = readiness;
        return latch != null && latch.ready();
    }

    /** The store (for benchmarks and the standalone command's diagnostics); null before start. */
    public SeriesStore store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable part : new AutoCloseable[] {remoteWrite, metadata, ingest, store}) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
                first = first == null ? e : first;
            }
        }
        remoteWrite = null;
        metadata = null;
        ingest = null;
        store = null;
        if (first != null) {
            throw first;
        }
    }

    private static String version() {
        String version = SinkComponent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The admin and status operations of the store, as the API sees them. */
    private record StoreAdmin(SeriesStore store) implements TsdbAdmin {
        @Override
        public TsdbStats stats(int topN) {
            return store.stats(topN);
        }

        @Override
        public void deleteSeries(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
            store.deleteSeries(matchers, minTimeMillis, maxTimeMillis);
        }

        @Override
        public void cleanTombstones() {
            store.cleanTombstones();
        }

        @Override
        public Path snapshot(boolean skipHead) {
            return store.snapshot(skipHead);
        }
    }
}
