package io.kprom.bench.processor;

import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.RelabelAction;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.common.relabel.Relabeler;
import io.kprom.processor.config.JobPolicy;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.RecordingGroups;
import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.RuleFileLoader;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Samples per second through the streams processor on one core: 20 targets of 500 series each,
 * scraped every 15 s (simulated clock), job with 10 metric-relabel rules, one recording rule group
 * (the seed's six rules, 30 s interval) evaluated as the clock passes its aligned times. Every
 * stage hop serializes with the real serdes; stores are in-memory maps, so RocksDB, changelogs and
 * Kafka I/O are not included (see streams-processor/README.md).
 *
 * <pre>bench/run-jmh.sh processor.ProcessorThroughputBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ProcessorThroughputBenchmark.SERIES_PER_TARGET)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ProcessorThroughputBenchmark {
    static final int TARGETS = 20;
    static final int SERIES_PER_TARGET = 500;
    private static final long START = 1_767_225_600_000L;
    private static final String RULES = """
            groups:
              - name: seed_recording
                interval: 30s
                query_offset: 0s
                rules:
                  - record: job:http_requests:rate5m
                    expr: sum by (job) (rate(http_requests_total[5m]))
                  - record: job:http_request_duration:p95
                    expr: histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))
                  - record: job:http_request_duration:p99
                    expr: histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))
                  - record: job:http_errors:rate5m
                    expr: sum by (job) (rate(http_requests_total{status=~"5.."}[5m]))
                  - record: node:cpu_usage:percentage
                    expr: 100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))
                  - record: node:memory_usage:percentage
                    expr: 100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)
            """;

    private DirectPipeline pipeline;
    private List<RawSeries> template;
    private List<ScrapeTarget> targets;
    private int nextTarget;
    private long round;

    @Setup
    public void setup() throws Exception {
        List<RelabelConfig> relabel = List.of(
                RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "go_.*", null, null),
                RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "process_.*", null, null),
                RelabelConfig.of(RelabelAction.LABELDROP, List.of(), "pod_template_hash", null, null),
                RelabelConfig.of(RelabelAction.REPLACE, List.of("instance"), "(.*):.*", "host", "$1"),
                RelabelConfig.of(RelabelAction.REPLACE, List.of("__name__", "status"), "http_requests_total;5..", "error", "true"),
                RelabelConfig.of(RelabelAction.KEEP, List.of("__name__"), ".+", null, null),
                RelabelConfig.of(RelabelAction.REPLACE, List.of("path"), "/api/v1/users/[0-9]+", "path", "/api/v1/users/:id"),
                RelabelConfig.of(RelabelAction.LABELDROP, List.of(), "trace_id", null, null),
                RelabelConfig.of(RelabelAction.REPLACE, List.of("job"), "api", "team", "backend"),
                RelabelConfig.of(RelabelAction.LOWERCASE, List.of("method"), null, "method_lower", null));
        JobPolicy api = JobPolicy.defaults("api").withRelabeling(labels -> Relabeler.process(labels, relabel))
                .withScrapeIntervalMillis(15_000);
        var specs = RuleFileLoader.standard().parse(Path.of("bench-rules.yml"), RULES);
        ProcessorSettings settings = ProcessorSettings.builder().job(api).seriesShards(8)
                .ruleGroups(RecordingGroups.fromSpecs(specs, Duration.ofMinutes(1), Duration.ZERO, 300_000))
                .targetExpiry(1_000, Duration.ofMinutes(10)).build();
        pipeline = new DirectPipeline(settings, new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults()), START);
        template = batch(null, START, 1).getSeries();
        targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            Labels labels = Labels.of("job", "api", "instance", "api-" + i + ":8080", "namespace", "prod");
            targets.add(ScrapeTarget.newBuilder().setJob("api").setInstance("api-" + i + ":8080").setLabels(labels.toList())
                    .setScrapeIntervalMillis(15_000).setScrapeTimeoutMillis(10_000).build());
        }
    }

    @TearDown
    public void report() {
        System.out.printf("%nsamples out: %d, recorded samples out: %d%n", pipeline.samplesOut, pipeline.recordedOut);
    }

    @Benchmark
    public void scrape() {
        ScrapeTarget target = targets.get(nextTarget);
        long timestamp = START + round * 15_000L;
        // Same label lists every scrape (as a parser would produce them); values grow with the round.
        List<RawSeries> series = new ArrayList<>(template.size());
        for (RawSeries raw : template) {
            series.add(RawSeries.newBuilder().setLabels(raw.getLabels()).setTimestamps(List.of(0L))
                    .setValues(List.of(raw.getValues().get(0) * (round + 1))).build());
        }
        pipeline.process(target.getJob() + "/" + target.getInstance(), ScrapeBatch.newBuilder().setSource(BatchSource.SCRAPE)
                .setTarget(target).setScrapeTimestampMillis(timestamp)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).setDurationSeconds(0.05).build())
                .setSeries(series).setMetadata(List.of()).build());
        nextTarget++;
        if (nextTarget == TARGETS) {
            nextTarget = 0;
            round++;
            pipeline.advanceTo(START + round * 15_000L + 1_000);
        }
    }

    /** 500 series (the target is set by the caller): requests by method/status/path, a 12-bucket histogram by path, CPU and memory, go_ noise. */
    static ScrapeBatch batch(ScrapeTarget target, long timestamp, long round) {
        List<RawSeries> series = new ArrayList<>(SERIES_PER_TARGET);
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        String[] statuses = {"200", "201", "404", "500", "503"};
        for (int path = 0; path < 10; path++) {
            for (String method : methods) {
                for (String status : statuses) {
                    series.add(raw(round * 7.0 + path, "__name__", "http_requests_total", "method", method, "status", status,
                            "path", "/api/v1/users/" + path));
                }
            }
        }
        String[] buckets = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"};
        for (int path = 0; path < 20 && series.size() < SERIES_PER_TARGET - 60; path++) {
            for (int b = 0; b < buckets.length; b++) {
                series.add(raw(round * (b + 1.0), "__name__", "http_request_duration_seconds_bucket", "le", buckets[b],
                        "path", "/p" + path));
            }
        }
        for (int cpu = 0; series.size() < SERIES_PER_TARGET - 2; cpu++) {
            for (String mode : new String[] {"idle", "user", "system", "iowait"}) {
                if (series.size() < SERIES_PER_TARGET - 2) {
                    series.add(raw(round * 3.0, "__name__", "node_cpu_seconds_total", "cpu", Integer.toString(cpu), "mode", mode));
                }
            }
        }
        series.add(raw(16e9, "__name__", "node_memory_MemTotal_bytes"));
        series.add(raw(8e9, "__name__", "node_memory_MemAvailable_bytes"));
        return ScrapeBatch.newBuilder().setSource(BatchSource.SCRAPE).setTarget(target).setScrapeTimestampMillis(timestamp)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).setDurationSeconds(0.05).build())
                .setSeries(series).setMetadata(List.of()).build();
    }

    private static RawSeries raw(double value, String... labels) {
        return RawSeries.newBuilder().setLabels(Labels.of(labels).toList()).setTimestamps(List.of(0L))
                .setValues(List.of(value)).build();
    }
}
