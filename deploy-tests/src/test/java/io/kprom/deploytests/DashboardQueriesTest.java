package io.kprom.deploytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kprom.promql.parser.PromqlParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Grafana dashboard is valid JSON on the provisioned data source, and every query parses with kprom's PromQL parser. */
class DashboardQueriesTest {

    static Stream<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(RenderedManifests.DEPLOY.resolve("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** Replaces Grafana's template variables with values of the right type, as Grafana would before sending. */
    static String interpolate(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "30s").replace("$__range", "1h")
                .replace("$job", ".*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void dashboardQueriesParse(Path file) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        assertThat(dashboard.path("title").asText()).isNotEmpty();
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("kprom");
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        assertThat(queries).isNotEmpty();
        for (String query : queries) {
            assertThatCode(() -> PromqlParser.parse(interpolate(query))).as(query).doesNotThrowAnyException();
        }
    }
}
