package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.fault.corpus.ConfigCase;
import io.kprom.standalone.fault.corpus.CorpusTargets;
import io.kprom.standalone.fault.corpus.ExpositionCase;
import io.kprom.standalone.fault.corpus.PipelineApi;
import io.kprom.standalone.fault.corpus.PromqlCase;
import io.kprom.standalone.fault.corpus.RemoteWriteCase;
import io.kprom.standalone.wiring.PipelineComponents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #9 fault 8, the bad-input corpus against the whole pipeline in one JVM (embedded broker,
 * scraper, processor, sink, evaluator): malformed expositions, invalid UTF-8, 1 MB label values,
 * deeply nested and huge PromQL, garbage remote-write bodies and invalid configurations each get an
 * exact, user-visible error; afterwards a well-behaved target scraped alongside kept {@code up} 1 with
 * all its samples, queries still answer and every component is still ready.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusIT {
    private static final List<ExpositionCase> EXPOSITIONS = ExpositionCase.all();

    private Path config;
    private String goodConfig;
    private CorpusTargets targets;
    private StandaloneRunner runner;
    private PipelineApi api;
    private long corpusStartMillis;

    @BeforeAll
    void startPipeline(@TempDir Path dir) throws Exception {
        targets = new CorpusTargets(EXPOSITIONS);
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: good
                    scrape_interval: 2s
                    scrape_timeout: 2s
                    metrics_path: /good
                    static_configs:
                      - targets: ['%s']
                """.formatted(targets.address()));
        for (ExpositionCase c : EXPOSITIONS) {
            yaml.append("  - job_name: ").append(c.name()).append('\n')
                    .append("    metrics_path: /corpus/").append(c.name()).append('\n')
                    .append(c.jobSettings())
                    .append("    static_configs:\n      - targets: ['").append(targets.address()).append("']\n");
        }
        goodConfig = yaml.toString();
        config = dir.resolve("prometheus.yml");
        Files.writeString(config, goodConfig);
        runner = new StandaloneRunner(new StandaloneOptions(config, dir.resolve("data"), "127.0.0.1:0", "127.0.0.1", 0,
                Duration.ofSeconds(180)), PipelineComponents.all(new PipelineComponents.Options(null, false, o -> o, 0)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), TopicCatalogue.defaults());
        runner.start();
        api = new PipelineApi(runner.webPort());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(api.scalar("up{job=\"good\"}")).isEqualTo(1.0));
        corpusStartMillis = System.currentTimeMillis();
    }

    @AfterAll
    void stopPipeline() {
        if (runner != null) {
            runner.close();
        }
        if (targets != null) {
            targets.close();
        }
    }

    static List<ExpositionCase> expositions() {
        return EXPOSITIONS;
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("expositions")
    void badExpositionFailsItsTargetWithAClearError(ExpositionCase c) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            if (c.expectedError() != null) {
                JsonNode target = api.target(c.name());
                String lastError = target.path("lastError").asText();
                if (c.exact()) {
                    assertThat(lastError).as("lastError of %s", c.name()).isEqualTo(c.expectedError());
                } else {
                    assertThat(lastError).as("lastError of %s", c.name()).startsWith(c.expectedError());
                }
                assertThat(target.path("health").asText()).isEqualTo("down");
            }
            assertThat(api.scalar("up{job=\"" + c.name() + "\"}")).as("up of %s", c.name()).isEqualTo(0.0);
        });
        System.out.printf("corpus %s: lastError %s%n", c.name(),
                PipelineApi.abbreviate(api.target(c.name()).path("lastError").asText()));
    }

    static List<PromqlCase> queries() {
        return PromqlCase.all();
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void hostileQueryGetsAPrometheusError(PromqlCase c) {
        PipelineApi.Answer answer = api.query(c.query());
        JsonNode json = answer.json();
        assertThat(answer.status()).as(json.toString()).isEqualTo(c.status());
        if (c.errorType() == null) {
            assertThat(json.path("status").asText()).isEqualTo("success");
            assertThat(json.at("/data/resultType").asText()).isEqualTo(c.error());
        } else {
            assertThat(json.path("status").asText()).isEqualTo("error");
            assertThat(json.path("errorType").asText()).isEqualTo(c.errorType());
            assertThat(json.path("error").asText()).isEqualTo(c.error());
        }
    }

    static List<RemoteWriteCase> remoteWrites() {
        return RemoteWriteCase.all();
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @MethodSource("remoteWrites")
    void garbageRemoteWriteIsRejected(RemoteWriteCase c) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", c.contentType());
        headers.put("Content-Encoding", c.contentEncoding());
        headers.put("X-Prometheus-Remote-Write-Version", "0.1.0");
        PipelineApi.Answer answer = api.write(headers, c.body());
        assertThat(answer.status()).as(answer.body()).isEqualTo(c.status());
        assertThat(answer.body()).isEqualTo(c.response() + "\n");
    }

    static List<ConfigCase> configs() {
        return ConfigCase.all();
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void invalidConfigIsRejectedWithFileLineField(ConfigCase c) throws Exception {
        Files.write(config, c.content());
        PipelineApi.Answer answer = api.reload();
        assertThat(answer.status()).isEqualTo(500);
        String expected = "failed to reload config: " + config + ":" + c.error();
        if (c.exact()) {
            assertThat(answer.body()).isEqualTo(expected + "\n");
        } else {
            assertThat(answer.body()).startsWith(expected);
        }
        assertThat(api.get("/metrics").body()).contains("kprom_config_last_reload_successful 0.0");
    }

    @Order(5)
    @Test
    void afterTheCorpusTheGoodTargetAndQueriesAreUnaffected() throws Exception {
        Files.writeString(config, goodConfig);
        assertThat(api.reload().status()).isEqualTo(200);
        assertThat(api.get("/metrics").body()).contains("kprom_config_last_reload_successful 1.0");

        // Wait until every series of the good target has a sample from after the corpus (each series lives in
        // its own metrics.samples partition, so they arrive independently), then look at the corpus window.
        double corpusEndSeconds = System.currentTimeMillis() / 1000.0;
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(api.scalar("timestamp(up{job=\"good\"})")).isGreaterThan(corpusEndSeconds);
            assertThat(api.scalar("count(timestamp(corpus_good_value{job=\"good\"}) > " + corpusEndSeconds + ")"))
                    .isEqualTo((double) CorpusTargets.GOOD_SERIES);
        });
        String window = "[" + (long) Math.ceil(corpusEndSeconds - corpusStartMillis / 1000.0) + "s]";
        // Every scrape of the good target during the corpus succeeded ...
        assertThat(api.scalarAt("min_over_time(up{job=\"good\"}" + window + ")", corpusEndSeconds))
                .as(() -> "failed scrapes of the good target: " + api.queryAt("up{job=\"good\"}" + window,
                        corpusEndSeconds).body())
                .isEqualTo(1.0);
        assertThat(api.scalarAt("count_over_time(up{job=\"good\"}" + window + ")", corpusEndSeconds))
                .isGreaterThanOrEqualTo(2.0);
        // ... and delivered every one of its series (each series has a sample from every scrape).
        assertThat(api.scalarAt("count(count_over_time(corpus_good_value{job=\"good\"}" + window
                + ") == scalar(count_over_time(up{job=\"good\"}" + window + ")))", corpusEndSeconds))
                .isEqualTo((double) CorpusTargets.GOOD_SERIES);
        assertThat(api.scalar("up{job=\"good\"}")).isEqualTo(1.0);
        assertThat(api.resultSize("corpus_good_value{job=\"good\"}")).isEqualTo(CorpusTargets.GOOD_SERIES);
        assertThat(api.scalar("sum(corpus_good_value{job=\"good\"})"))
                .isEqualTo(CorpusTargets.GOOD_SERIES * (CorpusTargets.GOOD_SERIES - 1) / 2.0);
        assertThat(api.target("good").path("lastError").asText()).isEmpty();
        // A normal query, a range query and a good remote write still work.
        assertThat(api.scalar("count(up)")).isEqualTo(1.0 + EXPOSITIONS.size());
        assertThat(api.get("/api/v1/query_range?query=up&start=" + (System.currentTimeMillis() / 1000 - 60)
                + "&end=" + System.currentTimeMillis() / 1000 + "&step=5").status()).isEqualTo(200);
        // Every component still runs.
        assertThat(api.get("/-/ready").status()).isEqualTo(200);
        assertThat(api.get("/-/healthy").status()).isEqualTo(200);
    }
}
