package io.kprom.scraper.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.http.HttpServer;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.scraper.scrape.RecordingPublisher;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus (Debian package {@code prometheus}) remote-writes its own metrics to our receiver. */
class PrometheusSenderIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void receivesSamplesAndMetadataFromARealPrometheus(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                "skipped: prometheus is not installed (apt-get install -y prometheus)");
        RecordingPublisher publisher = new RecordingPublisher();
        try (HttpServer receiver = HttpServer.builder().listenAddress("127.0.0.1:0")
                .route("/api/v1/write", new RemoteWriteHandler(publisher)).build().start()) {
            int prometheusPort = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: prometheus
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    remote_write:
                      - url: http://127.0.0.1:%d/api/v1/write
                        queue_config:
                          batch_send_deadline: 1s
                        metadata_config:
                          send_interval: 1s
                    """.formatted(prometheusPort, receiver.port()));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                try {
                    await().atMost(Duration.ofSeconds(90)).until(() -> upSeries(publisher) != null);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("no up series after " + publisher.published().size() + " batches; prometheus log:\n"
                            + Files.readString(dir.resolve("prometheus.log")), e);
                }
                RawSeries up = upSeries(publisher);
                assertThat(up.getLabels()).containsExactly("__name__", "up", "instance", "127.0.0.1:" + prometheusPort,
                        "job", "prometheus");
                assertThat(up.getValues()).contains(1.0);
                assertThat(publisher.published()).allSatisfy(p -> {
                    assertThat(p.batch().getSource()).isEqualTo(BatchSource.REMOTE_WRITE);
                    assertThat(p.batch().getTarget()).isNull();
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> publisher.published().stream()
                        .flatMap(p -> p.batch().getMetadata().stream())
                        .anyMatch(m -> m.getMetricFamily().equals("prometheus_http_requests_total")));
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    private static RawSeries upSeries(RecordingPublisher publisher) {
        List<RecordingPublisher.Published> published = List.copyOf(publisher.published());
        for (RecordingPublisher.Published p : published) {
            for (RawSeries series : p.batch().getSeries()) {
                if (series.getLabels().size() >= 2 && series.getLabels().get(1).equals("up")) {
                    return series;
                }
            }
        }
        return null;
    }
}
