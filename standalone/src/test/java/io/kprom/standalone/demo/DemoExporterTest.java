package io.kprom.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoExporterTest {
    private static final Pattern CHECKOUT_OK =
            Pattern.compile("(?m)^http_requests_total\\{[^}]*handler=\"/api/products\"[^}]*status=\"200\"[^}]*} (\\S+)$");

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double productsServed(String body) {
        Matcher m = CHECKOUT_OK.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void servesGrowingHttpServiceMetrics() throws Exception {
        try (DemoExporter demo = new DemoExporter("127.0.0.1:0")) {
            demo.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> productsServed(scrape(demo.port())) > 0);
            double first = productsServed(scrape(demo.port()));
            await().atMost(Duration.ofSeconds(10)).until(() -> productsServed(scrape(demo.port())) > first);
            String body = scrape(demo.port());
            assertThat(body).contains("# TYPE http_request_duration_seconds histogram")
                    .containsPattern("http_request_duration_seconds_bucket\\{[^}]*handler=\"/api/checkout\"[^}]*le=\"0.25\"")
                    .contains("http_requests_in_flight");
        }
    }
}
