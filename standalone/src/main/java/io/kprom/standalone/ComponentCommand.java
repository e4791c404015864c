package io.kprom.standalone;

import io.kprom.common.config.PromDuration;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.sink.SinkOptions;
import io.kprom.standalone.wiring.PipelineComponents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code kprom component <scraper|processor|sink|evaluator>}: one component against an external Kafka
 * cluster, as the Kubernetes manifests run it ({@code kprom scraper ...} is the same command).
 * Flags are named as Prometheus names them where Prometheus has one.
 */
@Command(name = "component", mixinStandardHelpOptions = true,
        description = "Run one kprom component (scraper, processor, sink or evaluator) against an external Kafka cluster.")
class ComponentCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "scraper, processor, sink or evaluator")
    String component;

    @Option(names = "--config.file", defaultValue = "prometheus.yml", description = "Prometheus configuration file.")
    Path configFile;

    @Option(names = "--kafka.bootstrap-servers", required = true, description = "Kafka bootstrap servers (host:port,...).")
    String bootstrapServers;

    @Option(names = "--web.listen-address", defaultValue = ":9090", description = "Address for /metrics, /-/ready and the APIs.")
    String webListenAddress;

    @Option(names = {"--storage.path", "--processor.state-dir", "--evaluator.state-dir"}, defaultValue = "./data",
            description = "Where the component keeps local state.")
    Path storagePath;

    @Option(names = "--storage.tsdb.path", description = "sink: TSDB directory (default: <storage.path>/tsdb).")
    Path tsdbPath;

    @Option(names = "--storage.tsdb.retention.time", defaultValue = "15d", description = "sink: how long samples are kept.")
    String retentionTime;

    @Option(names = "--query.timeout", defaultValue = "2m", description = "sink: query time limit.")
    String queryTimeout;

    @Option(names = "--query.max-concurrency", defaultValue = "20", description = "sink: concurrent queries.")
    int maxConcurrency;

    @Option(names = "--web.enable-admin-api", description = "sink: enable the TSDB admin API.")
    boolean enableAdminApi;

    @Option(names = "--processor.standby-replicas", defaultValue = "0", description = "processor: Kafka Streams standby replicas.")
    int standbyReplicas;

    @Option(names = "--start.timeout", defaultValue = "120s", description = "How long the component may take to start.")
    String startTimeout;

    @Override
    public Integer call() throws Exception {
        if (!PipelineComponents.COMPONENTS.contains(component)) {
            System.err.println("kprom: unknown component '" + component + "', one of " + PipelineComponents.COMPONENTS);
            return 2;
        }
        Duration retention = PromDuration.parse(retentionTime);
        Duration timeout = PromDuration.parse(queryTimeout);
        PipelineComponents.Options options = new PipelineComponents.Options(null, enableAdminApi,
                sink -> withSinkFlags(sink, retention, timeout), standbyReplicas);
        StandaloneOptions runOptions = new StandaloneOptions(configFile, storagePath, webListenAddress, "127.0.0.1", 0,
                PromDuration.parse(startTimeout));
        StandaloneRunner runner = new StandaloneRunner(runOptions, PipelineComponents.only(component, options), System.out,
                TopicCatalogue.defaults(), bootstrapServers);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        try {
            runner.start();
        } catch (StartupException e) {
            System.err.println("kprom: start-up failed: " + e.getMessage());
            return 1;
        }
        stop.await();
        runner.close();
        return 0;
    }

    private SinkOptions withSinkFlags(SinkOptions defaults, Duration retention, Duration timeout) {
        Path path = tsdbPath != null ? tsdbPath : defaults.storagePath();
        return new SinkOptions(path, retention, defaults.retentionSizeBytes(), defaults.lookbackDelta(),
                defaults.maxSamples(), timeout, maxConcurrency, enableAdminApi, defaults.webConfigFile(),
                defaults.readyMaxLag());
    }
}
