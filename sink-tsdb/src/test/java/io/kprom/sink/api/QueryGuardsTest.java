package io.kprom.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.storage.InMemoryQuerier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --query.max-samples and --query.timeout enforced end to end with the real engine. */
class QueryGuardsTest {
    static InMemoryQuerier storage() {
        InMemoryQuerier storage = new InMemoryQuerier();
        for (int s = 0; s < 50; s++) {
            Labels labels = Labels.of("__name__", "guard_metric", "i", Integer.toString(s));
            for (int k = 0; k < 120; k++) {
                storage.append(labels, k * 15_000L, k);
            }
        }
        return storage;
    }

    static ApiTestServer server(QueryLimits limits) throws Exception {
        InMemoryQuerier storage = storage();
        return new ApiTestServer(PrometheusApi.builder()
                .engine(new PromqlEngine()).storage((min, max) -> storage).syntax(new PromqlParserSyntax())
                .metadata(Map::of).tsdb(new ApiTestServer.RecordingTsdb())
                .status(new StatusInfo("3.0.0", "t", "t", Instant.EPOCH, Map.of(), () -> "", "15d"))
                .limits(limits).build());
    }

    @Test
    void tooManySamplesIsAnExecutionError() throws Exception {
        try (ApiTestServer http = server(new QueryLimits(Duration.ofMinutes(5), 100, Duration.ofMinutes(2), 4))) {
            var reply = http.postForm("/api/v1/query_range", "query", "sum(rate(guard_metric[5m]))",
                    "start", "300", "end", "1785", "step", "15");
            assertThat(reply.status()).isEqualTo(422);
            assertThat(reply.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":"
                    + "\"query processing would load too many samples into memory in query execution\"}");
            assertThat(http.postForm("/api/v1/query", "query", "1+1", "time", "4").status()).isEqualTo(200);
        }
        try (ApiTestServer http = server(QueryLimits.defaults())) {
            var reply = http.postForm("/api/v1/query_range", "query", "sum(rate(guard_metric[5m]))",
                    "start", "300", "end", "1785", "step", "15");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("data").get("result").get(0).get("values")).hasSize(100);
        }
    }
}
