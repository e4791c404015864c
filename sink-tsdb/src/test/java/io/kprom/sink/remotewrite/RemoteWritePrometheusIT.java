package io.kprom.sink.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import io.kprom.sink.remotewrite.kafka.RemoteWriteQueue;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write into a real Prometheus started with {@code --web.enable-remote-write-receiver}
 * (Debian package {@code prometheus}); skipped with a message when the binary is not installed.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RemoteWritePrometheusIT {
    @Test
    void prometheusReceivesEverySample(KafkaBroker broker, @TempDir Path dir) throws Exception {
        Path binary = List.of(Path.of("/usr/bin/prometheus"), Path.of("/usr/local/bin/prometheus")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        Assumptions.assumeTrue(binary != null,
                "Prometheus is not installed (apt-get install prometheus); skipping the real-Prometheus remote write test");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1h\n");
        Process prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        try {
            await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            String topic = "rw-prom-" + UUID.randomUUID();
            broker.createTopics(2, topic);
            long start = (System.currentTimeMillis() / 1000 - 600) * 1000;
            RemoteWriteTestData.produce(broker, topic, 20, 60, start, 9);
            RemoteWriteConfig rw = RemoteWriteTestData.config(base + "/api/v1/write", "prom-" + UUID.randomUUID(),
                    RemoteWriteConfig.PROTOBUF_V1, List.of(), HttpClientConfig.DEFAULT, Map.of());
            RemoteWriteQueue queue = new RemoteWriteQueue(rw, Labels.of("cluster", "it"), topic,
                    RemoteWriteTestData.consumer(broker));
            queue.start();
            try {
                RemoteWriteQueueIT.awaitCommitted(broker, queue.groupId(), topic);
            } finally {
                queue.close();
            }
            String query = URLEncoder.encode("count_over_time(rw_test_metric{cluster=\"it\"}[1h])", StandardCharsets.UTF_8);
            long evalAt = start / 1000 + 120;
            JsonNode result = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/query?query=" + query + "&time=" + evalAt)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("data").get("result");
            assertThat(result).hasSize(20);
            for (JsonNode series : result) {
                assertThat(series.get("value").get(1).asText()).isEqualTo("60");
                assertThat(series.get("metric").get("cluster").asText()).isEqualTo("it");
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }
}
