package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.storage.InMemoryQuerier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the calls Grafana's Prometheus data source makes, as it makes them (form POSTs for
 * queries, GETs with match[] and a time range for the metadata browser), against the real PromQL
 * engine and parser, and checks the JSON shapes Grafana reads.
 */
class GrafanaReplayTest {
    static final long END = 1_700_003_600L; // seconds, a multiple of the 60s step
    static final long START = END - 3600;
    static ApiTestServer grafanaSees;

    @BeforeAll
    static void start() throws Exception {
        InMemoryQuerier storage = new InMemoryQuerier();
        for (String job : new String[] {"api", "node"}) {
            for (String instance : new String[] {"a:1", "b:2"}) {
                Labels requests = Labels.of("__name__", "http_requests_total", "job", job, "instance", instance);
                Labels up = Labels.of("__name__", "up", "job", job, "instance", instance);
                for (long t = (START - 600) * 1000; t <= END * 1000; t += 15_000) {
                    storage.append(requests, t, (t - (START - 600) * 1000) / 1000.0); // +1 per second
                }
                for (long t = (START - 600) * 1000; t <= END * 1000; t += 15_000) {
                    storage.append(up, t, 1);
                }
            }
        }
        grafanaSees = new ApiTestServer(PrometheusApi.builder()
                .engine(new PromqlEngine()).storage((min, max) -> storage).syntax(new PromqlParserSyntax())
                .metadata(ApiTestServer::sampleMetadata).tsdb(new ApiTestServer.RecordingTsdb())
                .status(new StatusInfo("3.0.0", "kprom-test", "kprom", Instant.EPOCH, Map.of(), () -> "", "15d"))
                .clock(Clock.fixed(Instant.ofEpochSecond(END), ZoneOffset.UTC))
                .build());
    }

    @AfterAll
    static void stop() throws Exception {
        grafanaSees.close();
    }

    @Test
    void saveAndTest() throws Exception {
        var health = grafanaSees.postForm("/api/v1/query", "query", "1+1", "time", "4");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}");
        JsonNode build = grafanaSees.get("/api/v1/status/buildinfo").json();
        assertThat(build.get("status").asText()).isEqualTo("success");
        assertThat(build.get("data").get("version").asText()).matches("\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void stepAlignedRangeQueryPost() throws Exception {
        var reply = grafanaSees.postForm("/api/v1/query_range",
                "query", "sum by (job) (rate(http_requests_total[5m]))",
                "start", Long.toString(START), "end", Long.toString(END), "step", "60");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode data = reply.json().get("data");
        assertThat(data.get("resultType").asText()).isEqualTo("matrix");
        assertThat(data.get("result")).hasSize(2);
        for (JsonNode series : data.get("result")) {
            assertThat(series.get("metric").fieldNames()).toIterable().containsExactly("job");
            JsonNode values = series.get("values");
            assertThat(values).hasSize(61);
            assertThat(values.get(0).get(0).asLong()).isEqualTo(START);
            assertThat(values.get(0).get(0).isNumber()).isTrue();
            assertThat(values.get(0).get(1).isTextual()).isTrue();
            for (JsonNode point : values) {
                assertThat(Double.parseDouble(point.get(1).asText())).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        var instant = grafanaSees.postForm("/api/v1/query", "query", "up", "time", Long.toString(END));
        assertThat(instant.json().get("data").get("resultType").asText()).isEqualTo("vector");
        assertThat(instant.json().get("data").get("result")).hasSize(4);
    }

    @Test
    void metricsBrowser() throws Exception {
        String range = "&start=" + START + "&end=" + END;
        JsonNode labels = grafanaSees.get("/api/v1/labels?match[]=" + ApiTestServer.encode("up") + range).json();
        assertThat(labels.get("data")).extracting(JsonNode::asText).containsExactly("__name__", "instance", "job");
        JsonNode names = grafanaSees.get("/api/v1/label/__name__/values?start=" + START + "&end=" + END).json();
        assertThat(names.get("data")).extracting(JsonNode::asText).containsExactly("http_requests_total", "up");
        JsonNode jobs = grafanaSees.get("/api/v1/label/job/values?match[]="
                + ApiTestServer.encode("http_requests_total{instance=\"a:1\"}") + range).json();
        assertThat(jobs.get("data")).extracting(JsonNode::asText).containsExactly("api", "node");
        JsonNode series = grafanaSees.get("/api/v1/series?match[]="
                + ApiTestServer.encode("{__name__=\"up\", job=\"api\"}") + range).json();
        assertThat(series.get("data")).hasSize(2);
        assertThat(series.get("data").get(0).get("instance").asText()).isEqualTo("a:1");
        JsonNode metadata = grafanaSees.get("/api/v1/metadata").json().get("data");
        assertThat(metadata.get("http_requests_total").get(0).get("type").asText()).isEqualTo("counter");
        assertThat(metadata.get("up").get(0).fieldNames()).toIterable().containsExactly("type", "help", "unit");
        var badSelector = grafanaSees.get("/api/v1/series?match[]=" + ApiTestServer.encode("up{") + range);
        assertThat(badSelector.status()).isEqualTo(400);
        assertThat(badSelector.json().get("error").asText()).startsWith("invalid parameter \"match[]\": ");
        var formatted = grafanaSees.get("/api/v1/format_query?query=" + ApiTestServer.encode("sum(rate(up[5m]))by(job)"));
        assertThat(formatted.json().get("data").asText()).isEqualTo("sum by (job) (rate(up[5m]))");
    }
}
