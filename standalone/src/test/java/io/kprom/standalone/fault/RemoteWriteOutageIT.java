package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.labels.Labels;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.fault.outage.FlakyRemoteWriteReceiver;
import io.kprom.standalone.fault.outage.PipelineClient;
import io.kprom.standalone.fault.outage.SequenceTarget;
import io.kprom.standalone.wiring.PipelineComponents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 fault 5: the remote-write endpoint answers 503 for two full minutes while scraping and
 * ingest go on, then recovers. Every sample the sink stored must reach the endpoint, exactly as
 * ingested: same series, timestamps and values, in timestamp order, each exactly once. (Prometheus
 * receivers accept a resent identical sample, so a retry after a lost 2xx could legitimately
 * duplicate one; this test loses no responses, so it asserts no duplicates at all.)
 */
@Tag("slow")
class RemoteWriteOutageIT {
    private static final Duration OUTAGE = Duration.ofMinutes(2);

    @Test
    void everySampleIsDeliveredOnceAfterTwoMinutesOf503(@TempDir Path dir) throws Exception {
        try (SequenceTarget target = new SequenceTarget();
                FlakyRemoteWriteReceiver receiver = new FlakyRemoteWriteReceiver(OUTAGE)) {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: outage
                        static_configs:
                          - targets: ['%s']
                    remote_write:
                      - url: %s
                        name: flaky
                        queue_config:
                          min_backoff: 100ms
                          max_backoff: 2s
                    """.formatted(target.address(), receiver.url()));
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PipelineComponents.Options options = new PipelineComponents.Options(null, false, sink -> sink, 0);
            try (StandaloneRunner runner = new StandaloneRunner(new StandaloneOptions(config, dir.resolve("data"),
                    "127.0.0.1:0", "127.0.0.1", 0, Duration.ofSeconds(120)), PipelineComponents.all(options),
                    new PrintStream(log, true, StandardCharsets.UTF_8), TopicCatalogue.defaults())) {
                runner.start();
                PipelineClient kprom = new PipelineClient(runner.webPort());

                // The endpoint's outage starts with the first request, i.e. once samples flow.
                await("the 503 window ends").atMost(OUTAGE.plusSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(receiver::recovered);
                assertThat(receiver.rejectedRequests()).as("requests answered 503").isGreaterThan(10);
                long servedAtRecovery = target.served();
                assertThat(servedAtRecovery).as("scrapes during the outage").isGreaterThan(60);
                await("samples scraped before and during the outage are queryable")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> kprom.scalar(SequenceTarget.METRIC + "{job=\"outage\"}") >= servedAtRecovery);

                Labels sequence = Labels.of("__name__", SequenceTarget.METRIC, "instance", target.address(), "job", "outage");
                Labels up = Labels.of("__name__", "up", "instance", target.address(), "job", "outage");
                for (Labels series : List.of(sequence, up)) {
                    String selector = series.metricName() + "{job=\"outage\"}[1h]";
                    List<PipelineClient.Point> stored = kprom.rawSamples(selector);
                    long lastStored = stored.get(stored.size() - 1).timestampMillis();
                    await(series + " delivered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> receiver.samples(series).stream().anyMatch(p -> p.timestampMillis() >= lastStored));
                    List<PipelineClient.Point> delivered = receiver.samples(series).stream()
                            .filter(p -> p.timestampMillis() <= lastStored).toList();
                    System.out.printf("RemoteWriteOutageIT: %s: %d stored, %d delivered up to %d; %d requests rejected over %s,"
                            + " %d accepted%n", series, stored.size(), delivered.size(), lastStored,
                            receiver.rejectedRequests(), receiver.rejectingSpan(), receiver.acceptedRequests());
                    assertThat(delivered).as("samples of %s delivered, in order, each once", series)
                            .containsExactlyElementsOf(stored);
                }
                // Nothing was lost before the sink either: every scrape the target answered up to the recovery is
                // stored, except scrapes that failed (a timeout on a loaded machine stores up 0 and no sample).
                Set<Long> values = kprom.rawSamples(SequenceTarget.METRIC + "{job=\"outage\"}[1h]").stream()
                        .map(p -> (long) p.value()).collect(Collectors.toSet());
                List<Long> missing = LongStream.rangeClosed(1, servedAtRecovery)
                        .filter(n -> !values.contains(n)).boxed().toList();
                long failedScrapes = kprom.rawSamples("up{job=\"outage\"}[1h]").stream().filter(p -> p.value() == 0).count();
                assertThat((long) missing.size()).as("scrapes %s missing beyond %d failed scrapes", missing, failedScrapes)
                        .isLessThanOrEqualTo(failedScrapes);
                assertThat(receiver.rejectingSpan()).as("time the endpoint answered 503")
                        .isGreaterThanOrEqualTo(OUTAGE.minusSeconds(3));
            }
        }
    }
}
