package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.InMemoryQuerier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP API over loopback: exact JSON, status codes and Prometheus's error texts. */
class PrometheusApiTest {
    static final Labels UP_NODE = Labels.of("__name__", "up", "job", "node", "instance", "a:9100");
    static final Labels UP_API = Labels.of("__name__", "up", "job", "api", "instance", "b:8080");
    static final Labels REQUESTS = Labels.of("__name__", "http_requests_total", "job", "api", "code", "200");

    final InMemoryQuerier storage = new InMemoryQuerier()
            .append(UP_NODE, 1000, 1).append(UP_NODE, 2000, 1)
            .append(UP_API, 1000, 0)
            .append(REQUESTS, 1000, 10);
    final RecordingEngine engine = new RecordingEngine(
            () -> new QueryResult(new Value.ScalarValue(4000, 2), List.of(), List.of()));
    final ApiTestServer.RecordingTsdb tsdb = new ApiTestServer.RecordingTsdb();
    ApiTestServer http;

    ApiTestServer start(QueryLimits limits, boolean admin) throws Exception {
        http = new ApiTestServer(PrometheusApi.builder()
                .engine(engine).storage((min, max) -> storage).syntax(new TestSyntax())
                .metadata(ApiTestServer::sampleMetadata).tsdb(tsdb)
                .status(new StatusInfo("3.0.0", "kprom-test", "main", Instant.parse("2026-01-01T00:00:00Z"),
                        Map.of("storage.tsdb.path", "data/", "query.timeout", "2m"), () -> "global: {}\n", "15d"))
                .limits(limits).adminEnabled(admin)
                .clock(Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC))
                .build());
        return http;
    }

    ApiTestServer start() throws Exception {
        return start(QueryLimits.defaults(), false);
    }

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void instantScalar() throws Exception {
        var reply = start().get("/api/v1/query?query=1%2B1&time=4");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[4,\"2\"]}}");
        assertThat(engine.last().query()).isEqualTo("1+1");
        assertThat(engine.last().start()).isEqualTo(4000);
        assertThat(engine.last().options().lookbackDelta()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void instantDefaultsToNowAndEncodesVectorsWithAnnotations() throws Exception {
        engine.answer = () -> new QueryResult(new Value.VectorValue(List.of(
                new Value.Sample(UP_NODE, 1435781451781L, 1), new Value.Sample(UP_API, 1435781451781L, Double.NaN))),
                List.of("PromQL warning: something"), List.of("PromQL info: something else"));
        var reply = start().get("/api/v1/query?query=up");
        assertThat(engine.last().start()).isEqualTo(1_700_000_000_000L);
        assertThat(reply.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},\"value\":[1435781451.781,\"1\"]},"
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b:8080\",\"job\":\"api\"},\"value\":[1435781451.781,\"NaN\"]}]},"
                + "\"warnings\":[\"PromQL warning: something\"],\"infos\":[\"PromQL info: something else\"]}");
    }

    @Test
    void rangeByFormPostWithMatrixAndLimit() throws Exception {
        engine.answer = () -> new QueryResult(new Value.MatrixValue(List.of(
                new Value.SeriesValue(UP_NODE, new long[] {0, 15000}, new double[] {1, 1e21}),
                new Value.SeriesValue(UP_API, new long[] {0}, new double[] {0.1}))), List.of(), List.of());
        var reply = start().postForm("/api/v1/query_range", "query", "up", "start", "1970-01-01T00:00:00Z",
                "end", "15", "step", "15s", "limit", "1", "lookback_delta", "1m", "timeout", "10s");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
                + "\"values\":[[0,\"1\"],[15,\"1e+21\"]]}]},\"warnings\":[\"results truncated due to limit\"]}");
        RecordingEngine.Call call = engine.last();
        assertThat(call.start()).isZero();
        assertThat(call.end()).isEqualTo(15000);
        assertThat(call.step()).isEqualTo(15000);
        assertThat(call.options().lookbackDelta()).isEqualTo(Duration.ofMinutes(1));
        assertThat(call.options().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(call.options().maxSamples()).isEqualTo(50_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing start|/api/v1/query_range?query=up&end=1&step=1|400|bad_data|invalid parameter \"start\": cannot parse \"\" to a valid timestamp",
        "bad end|/api/v1/query_range?query=up&start=1&end=x&step=1|400|bad_data|invalid parameter \"end\": cannot parse \"x\" to a valid timestamp",
        "end before start|/api/v1/query_range?query=up&start=10&end=1&step=1|400|bad_data|end timestamp must not be before start time",
        "bad step|/api/v1/query_range?query=up&start=1&end=2&step=x|400|bad_data|invalid parameter \"step\": cannot parse \"x\" to a valid duration",
        "zero step|/api/v1/query_range?query=up&start=1&end=2&step=0|400|bad_data|zero or negative query resolution step widths are not accepted. Try a positive integer",
        "too many points|/api/v1/query_range?query=up&start=0&end=11001&step=1|400|bad_data|exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
        "bad time|/api/v1/query?query=up&time=yesterday|400|bad_data|invalid parameter \"time\": invalid time value for 'time': cannot parse \"yesterday\" to a valid timestamp",
        "bad limit|/api/v1/query?query=up&limit=-3|400|bad_data|invalid parameter \"limit\": limit must be non-negative",
        "bad timeout|/api/v1/query?query=up&timeout=soon|400|bad_data|invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration",
        "bad lookback|/api/v1/query?query=up&lookback_delta=x|400|bad_data|error parsing lookback delta duration: cannot parse \"x\" to a valid duration",
        "series without match|/api/v1/series|400|bad_data|no match[] parameter provided",
        "series empty matcher|/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D|400|bad_data|invalid parameter \"match[]\": match[] must contain at least one non-empty matcher",
        "bad metadata limit|/api/v1/metadata?limit=x|400|bad_data|limit must be a number",
        "bad tsdb limit|/api/v1/status/tsdb?limit=0|400|bad_data|limit must be a positive number",
        "admin disabled|/api/v1/admin/tsdb/snapshot|503|unavailable|admin APIs disabled",
    })
    void rejectsBadCalls(String name, String path, int status, String type, String message) throws Exception {
        start();
        var reply = path.contains("/admin/") ? http.postForm(path) : http.get(path);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.json().get("status").asText()).isEqualTo("error");
        assertThat(reply.json().get("errorType").asText()).isEqualTo(type);
        assertThat(reply.json().get("error").asText()).isEqualTo(message);
        assertThat(reply.json().has("data")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "parse error|BAD_DATA|400|bad_data|invalid parameter \"query\": 1:3: parse error: unexpected end of input",
        "execution|EXECUTION|422|execution|1:3: parse error: unexpected end of input",
        "timeout|TIMEOUT|503|timeout|1:3: parse error: unexpected end of input",
    })
    void mapsEngineErrors(String name, ErrorType errorType, int status, String type, String message) throws Exception {
        engine.answer = () -> {
            throw new QueryException(errorType, "1:3: parse error: unexpected end of input");
        };
        var reply = start().get("/api/v1/query?query=1%2B");
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":"
                + ApiTestServer.MAPPER.writeValueAsString(message) + "}");
    }

    @Test
    void queryOfDeathGetsAnErrorNotACrash() throws Exception {
        engine.answer = () -> {
            long[] huge = new long[Integer.MAX_VALUE - 8];
            return new QueryResult(new Value.ScalarValue(huge.length, 0), List.of(), List.of());
        };
        var reply = start().get("/api/v1/query?query=up");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("errorType").asText()).isEqualTo("execution");
        engine.answer = () -> new QueryResult(new Value.ScalarValue(1, 1), List.of(), List.of());
        assertThat(http.get("/api/v1/query?query=1").status()).isEqualTo(200);
    }

    @Test
    void queriesBeyondMaxConcurrencyWaitThenTimeOut() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        engine.answer = () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new QueryResult(new Value.ScalarValue(1, 1), List.of(), List.of());
        };
        start(new QueryLimits(Duration.ofMinutes(5), 1000, Duration.ofMinutes(1), 1), false);
        CompletableFuture<ApiTestServer.Reply> first = CompletableFuture.supplyAsync(() -> {
            try {
                return http.get("/api/v1/query?query=slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        entered.await();
        var second = http.get("/api/v1/query?query=next&timeout=0.2");
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.json().get("errorType").asText()).isEqualTo("timeout");
        assertThat(second.json().get("error").asText()).isEqualTo("query timed out in query queue");
        release.countDown();
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(engine.last().options().maxSamples()).isEqualTo(1000);
    }

    @Test
    void seriesLabelsAndValues() throws Exception {
        start();
        assertThat(http.get("/api/v1/series?match[]=up&match[]=" + ApiTestServer.encode("{code=\"200\"}")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":["
                        + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
                        + "{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
                        + "{\"__name__\":\"up\",\"instance\":\"b:8080\",\"job\":\"api\"}]}");
        assertThat(http.postForm("/api/v1/series", "match[]", "nothing_here").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(http.get("/api/v1/labels").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"instance\",\"job\"]}");
        assertThat(http.postForm("/api/v1/labels", "match[]", "up", "limit", "2").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\"],"
                        + "\"warnings\":[\"results truncated due to limit\"]}");
        assertThat(http.get("/api/v1/label/job/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"node\"]}");
        assertThat(http.get("/api/v1/label/job/values?match[]=" + ApiTestServer.encode("up{instance=~\"a.*\"}")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"node\"]}");
        assertThat(http.get("/api/v1/label/U__job/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"node\"]}");
        assertThat(http.get("/api/v1/label/nope/values").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void metadataAndExemplars() throws Exception {
        start();
        assertThat(http.get("/api/v1/metadata?metric=up").body()).isEqualTo("{\"status\":\"success\",\"data\":"
                + "{\"up\":[{\"type\":\"gauge\",\"help\":\"Whether the target is up.\",\"unit\":\"\"}]}}");
        assertThat(http.get("/api/v1/metadata?limit=2").json().get("data").size()).isEqualTo(2);
        assertThat(http.get("/api/v1/metadata").json().get("data").get("process_cpu_seconds_total").get(0)
                .get("unit").asText()).isEqualTo("seconds");
        assertThat(http.get("/api/v1/query_exemplars?query=up&start=1&end=2").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[]}");
        assertThat(http.get("/api/v1/query_exemplars?query=").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/format_query?query=" + ApiTestServer.encode("sum(  up )")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":\"sum( up )\"}");
    }

    @Test
    void statusEndpoints() throws Exception {
        start();
        var build = http.get("/api/v1/status/buildinfo").json().get("data");
        assertThat(build.get("version").asText()).isEqualTo("3.0.0");
        assertThat(build.fieldNames()).toIterable()
                .containsExactly("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
        var runtime = http.get("/api/v1/status/runtimeinfo").json().get("data");
        assertThat(runtime.get("startTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(runtime.get("storageRetention").asText()).isEqualTo("15d");
        assertThat(http.get("/api/v1/status/flags").body()).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"query.timeout\":\"2m\",\"storage.tsdb.path\":\"data/\"}}");
        assertThat(http.get("/api/v1/status/config").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"yaml\":\"global: {}\\n\"}}");
        assertThat(http.get("/api/v1/status/tsdb?limit=3").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
                + "\"headStats\":{\"numSeries\":3,\"numLabelPairs\":5,\"chunkCount\":7,\"minTime\":1000,\"maxTime\":2000},"
                + "\"seriesCountByMetricName\":[{\"name\":\"up\",\"value\":2}],"
                + "\"labelValueCountByLabelName\":[{\"name\":\"job\",\"value\":2}],"
                + "\"memoryInBytesByLabelName\":[{\"name\":\"job\",\"value\":8}],"
                + "\"seriesCountByLabelValuePair\":[{\"name\":\"job=node\",\"value\":1}]}}");
        assertThat(tsdb.calls).containsExactly("stats 3");
        assertThat(http.postForm("/api/v1/status/buildinfo").status()).isEqualTo(405);
    }

    @Test
    void adminApiWhenEnabled() throws Exception {
        start(QueryLimits.defaults(), true);
        var deleted = http.postForm("/api/v1/admin/tsdb/delete_series", "match[]", "up{job=\"node\"}", "start", "1",
                "end", "2");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(http.postForm("/api/v1/admin/tsdb/clean_tombstones").status()).isEqualTo(204);
        assertThat(http.postForm("/api/v1/admin/tsdb/snapshot", "skip_head", "true").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"name\":\"20260101T000000Z-00ff\"}}");
        assertThat(http.postForm("/api/v1/admin/tsdb/delete_series").json().get("error").asText())
                .isEqualTo("no match[] parameter provided");
        assertThat(http.get("/api/v1/admin/tsdb/snapshot").status()).isEqualTo(405);
        assertThat(tsdb.calls).containsExactly("delete [__name__=\"up\", job=\"node\"] 1000 2000", "clean",
                "snapshot true");
    }
}
