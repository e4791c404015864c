package io.kprom.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.TopicAdmin;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.kafka.TopicSpec;
import io.kprom.common.lifecycle.Component;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kprom standalone in-process: a real embedded KRaft broker, the catalogue's topics, the web endpoints, restarts. */
class StandaloneIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @TempDir
    Path storage;

    private StandaloneOptions options() throws Exception {
        Path config = storage.resolve("prometheus.yml");
        if (!Files.exists(config)) {
            Files.writeString(config, "global:\n  scrape_interval: 15s\n");
        }
        return new StandaloneOptions(config, storage.resolve("data"), "127.0.0.1:0", "127.0.0.1", 0, Duration.ofSeconds(120));
    }

    @Test
    void startsBrokerTopicsAndWebThenRestartReusesTheData() throws Exception {
        Component probe = new RecordingComponent("probe");
        ComponentFactory withRoute = context -> {
            context.route("/api/v1/probe", new TextHandler("probe ok"));
            assertThat(context.bootstrapServers()).startsWith("127.0.0.1:");
            return probe;
        };
        try (StandaloneRunner runner = new StandaloneRunner(options(), List.of(withRoute), out)) {
            runner.start();

            assertThat(runner.formattedNewStorage()).isTrue();
            assertThat(runner.topicReport().created()).containsExactlyInAnyOrderElementsOf(
                    TopicCatalogue.defaults().topics().stream().map(TopicSpec::name).toList());
            assertTopicsMatchTheCatalogue(runner.bootstrapServers());
            assertThat(get(runner, "/metrics")).satisfies(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("jvm_memory_used_bytes");
            });
            assertThat(get(runner, "/-/ready").statusCode()).isEqualTo(200);
            assertThat(get(runner, "/api/v1/probe").body()).isEqualTo("probe ok");
            produce(runner.bootstrapServers(), "alerts", "kept across restarts");
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Kafka broker listening on 127.0.0.1:", "web listening on http://127.0.0.1:",
                "started probe", "newly formatted");

        try (StandaloneRunner again = new StandaloneRunner(options(), List.of(), out)) {
            again.start();

            assertThat(again.formattedNewStorage()).isFalse();
            assertThat(again.topicReport().created()).isEmpty();
            assertThat(again.topicReport().existing()).hasSize(TopicCatalogue.defaults().topics().size());
            assertThat(again.topicReport().differences()).isEmpty();
            assertThat(consumeAll(again.bootstrapServers(), "alerts")).contains("kept across restarts");
            assertThat(get(again, "/-/ready").statusCode()).isEqualTo(200);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("reusing stored data");
    }

    @Test
    void aComponentThatFailsToStartStopsEverythingWithTheReason() throws Exception {
        RecordingComponent first = new RecordingComponent("first");
        ComponentFactory failing = context -> new RecordingComponent("sink") {
            @Override
            public void start() {
                throw new IllegalStateException("RocksDB directory is locked");
            }
        };
        StandaloneRunner runner = new StandaloneRunner(options(), List.of(context -> first, failing), out);

        assertThatThrownBy(runner::start)
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("component sink failed to start: RocksDB directory is locked");
        assertThat(first.closed).as("started components are stopped").isTrue();

        // The broker was stopped too: its storage can be opened again.
        try (StandaloneRunner again = new StandaloneRunner(options(), List.of(), out)) {
            again.start();
            assertThat(again.formattedNewStorage()).isFalse();
        }
    }

    private void assertTopicsMatchTheCatalogue(String bootstrap) {
        try (Admin admin = Admin.create(KafkaClientDefaults.admin(bootstrap))) {
            TopicAdmin.Report report = new TopicAdmin(admin, Duration.ofSeconds(30)).ensureTopics(TopicCatalogue.defaults().topics());
            assertThat(report.created()).isEmpty();
            assertThat(report.differences()).isEmpty();
        }
    }

    private HttpResponse<String> get(StandaloneRunner runner, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runner.webPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        try (var producer = new KafkaProducer<>(KafkaClientDefaults.producer(bootstrap, Map.of()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(KafkaClientDefaults.consumer(bootstrap, "standalone-it", Map.of()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static class RecordingComponent implements Component {
        private final String name;
        volatile boolean closed;

        RecordingComponent(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class TextHandler extends Handler.Abstract {
        private final String text;

        TextHandler(String text) {
            this.text = text;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            io.kprom.common.http.HttpServer.sendText(response, callback, 200, text);
            return true;
        }
    }
}
