package io.kprom.scraper.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.http.HttpServer;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.KpromSerdes;
import io.kprom.scraper.kafka.KafkaBatchPublisher;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class RemoteWriteHandlerIT {
    private final OkHttpClient http = new OkHttpClient();

    private Response post(HttpServer server, String contentType, byte[] body) throws Exception {
        Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + server.port() + "/api/v1/write")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "2.0.0")
                .post(RequestBody.create(body, MediaType.get(contentType)));
        return http.newCall(request.build()).execute();
    }

    @Test
    void writesAcknowledgedBatchesToKafka(KafkaBroker broker) throws Exception {
        String topic = "rw-" + UUID.randomUUID();
        broker.createTopics(1, topic);
        Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (KafkaBatchPublisher publisher = new KafkaBatchPublisher(client, KpromSerdes.scrapeBatch(Map.of()).serializer(),
                topic, 16 * 1024 * 1024);
                HttpServer server = HttpServer.builder().listenAddress("127.0.0.1:0")
                        .route("/api/v1/write", new RemoteWriteHandler(publisher)).build().start()) {
            try (Response v1 = post(server, "application/x-protobuf", RemoteWriteRequests.v1(
                    RemoteWriteRequests.v1Series(1, 1000, "__name__", "a", "job", "x")))) {
                assertThat(v1.code()).isEqualTo(204);
                assertThat(v1.header("X-Prometheus-Remote-Write-Samples-Written")).isNull();
            }
            try (Response v2 = post(server, "application/x-protobuf;proto=io.prometheus.write.v2.Request",
                    RemoteWriteRequests.v2(false))) {
                assertThat(v2.code()).isEqualTo(204);
                assertThat(v2.header("X-Prometheus-Remote-Write-Samples-Written")).isEqualTo("2");
                assertThat(v2.header("X-Prometheus-Remote-Write-Histograms-Written")).isEqualTo("1");
                assertThat(v2.header("X-Prometheus-Remote-Write-Exemplars-Written")).isEqualTo("1");
            }
            try (Response partial = post(server, "application/x-protobuf;proto=io.prometheus.write.v2.Request",
                    RemoteWriteRequests.v2(true))) {
                assertThat(partial.code()).isEqualTo(400);
                assertThat(partial.header("X-Prometheus-Remote-Write-Samples-Written")).isEqualTo("2");
                assertThat(partial.body().string()).contains("label reference out of range");
            }
            try (Response unsupported = post(server, "application/json", new byte[] {1})) {
                assertThat(unsupported.code()).isEqualTo(415);
            }
            try (Response garbage = post(server, "application/x-protobuf", new byte[] {1, 2, 3})) {
                assertThat(garbage.code()).isEqualTo(400);
            }
            try (Response get = http.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + server.port() + "/api/v1/write").build()).execute()) {
                assertThat(get.code()).isEqualTo(405);
            }
            // Every 204 (and the valid part of the 400) is already in Kafka.
            List<ScrapeBatch> batches = consume(broker, topic, 3);
            assertThat(batches).hasSize(3).allSatisfy(b -> {
                assertThat(b.getSource()).isEqualTo(BatchSource.REMOTE_WRITE);
                assertThat(b.getTarget()).isNull();
            });
            assertThat(batches.get(0).getSeries().get(0).getLabels()).containsExactly("__name__", "a", "job", "x");
            assertThat(batches.get(1).getSeries()).hasSize(2);
            assertThat(batches.get(2).getSeries()).hasSize(2);
        }
    }

    @Test
    void answers500WhenKafkaDoesNotAcknowledge() throws Exception {
        Map<String, Object> unreachable = Map.of("bootstrap.servers", "127.0.0.1:1", "max.block.ms", 200,
                "delivery.timeout.ms", 1000, "request.timeout.ms", 500);
        try (KafkaBatchPublisher publisher = new KafkaBatchPublisher(unreachable, KpromSerdes.scrapeBatch(Map.of()).serializer(),
                "unreachable", 1024 * 1024);
                HttpServer server = HttpServer.builder().listenAddress("127.0.0.1:0")
                        .route("/api/v1/write", new RemoteWriteHandler(publisher, 1024 * 1024, 1500)).build().start()) {
            try (Response response = post(server, "application/x-protobuf", RemoteWriteRequests.v1(
                    RemoteWriteRequests.v1Series(1, 1000, "__name__", "a")))) {
                assertThat(response.code()).isEqualTo(500);
            }
        }
    }

    static List<ScrapeBatch> consume(KafkaBroker broker, String topic, int count) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ScrapeBatch> out = new ArrayList<>();
        try (KafkaConsumer<String, ScrapeBatch> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                KpromSerdes.scrapeBatch(Map.of()).deserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, ScrapeBatch> record : consumer.poll(Duration.ofMillis(200))) {
                    out.add(record.value());
                }
                return out.size() >= count;
            });
        }
        return out;
    }
}
