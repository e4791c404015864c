package io.kprom.scraper.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.config.ScrapeConfig;
import io.kprom.scraper.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpTargetScraperTest {
    private static TestTarget target;
    private static HttpClients clients;

    @BeforeAll
    static void start() throws Exception {
        target = new TestTarget();
        clients = new HttpClients();
    }

    @AfterAll
    static void stop() throws Exception {
        target.close();
        clients.close();
    }

    private static HttpTargetScraper scraper(String yaml) throws Exception {
        ScrapeConfig config = TestConfigs.scrape(yaml);
        return new HttpTargetScraper(clients.forConfig(config.httpClientConfig()), config);
    }

    private String url() {
        return "http://" + target.address() + "/metrics";
    }

    @Test
    void sendsPrometheusHeadersAndDecompressesGzip() throws Exception {
        target.answer(200, "application/openmetrics-text; version=1.0.0; charset=utf-8", "a 1\n# EOF\n");
        HttpTargetScraper scraper = scraper("""
                  - job_name: j
                """);
        ScrapeResponse response = scraper.scrape(url(), Duration.ofMillis(2500), new HttpTargetScraper.Buffer());
        assertThat(new String(response.body(), 0, response.length(), StandardCharsets.UTF_8)).isEqualTo("a 1\n# EOF\n");
        assertThat(response.contentType()).startsWith("application/openmetrics-text");
        Map<String, String> headers = target.requests().get(target.requests().size() - 1);
        assertThat(headers.get("Accept")).isEqualTo("application/openmetrics-text;version=1.0.0;q=0.5,"
                + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
                + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
        assertThat(headers.get("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("2.5");
        assertThat(headers.get("Accept-Encoding")).contains("gzip");
        assertThat(headers.get("User-Agent")).startsWith("kprom/");
    }

    @Test
    void honoursScrapeProtocolsAndDisabledCompression() throws Exception {
        target.answer(200, "text/plain", "a 1\n");
        HttpTargetScraper scraper = scraper("""
                  - job_name: j
                    enable_compression: false
                    scrape_protocols: [PrometheusText0.0.4]
                """);
        scraper.scrape(url(), Duration.ofSeconds(10), new HttpTargetScraper.Buffer());
        Map<String, String> headers = target.requests().get(target.requests().size() - 1);
        assertThat(headers.get("Accept")).isEqualTo("text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
        assertThat(headers.get("Accept-Encoding")).isEqualTo("identity");
        assertThat(headers.get("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("10");
    }

    @Test
    void failsOnStatusTimeoutAndBodyLimit() throws Exception {
        HttpTargetScraper scraper = scraper("""
                  - job_name: j
                    body_size_limit: 100B
                """);
        target.answer(500, "text/plain", "boom");
        assertThatThrownBy(() -> scraper.scrape(url(), Duration.ofSeconds(5), new HttpTargetScraper.Buffer()))
                .isInstanceOf(ScrapeException.class).hasMessage("server returned HTTP status 500 Server Error")
                .extracting(e -> ((ScrapeException) e).reason()).isEqualTo("http_status");
        target.answer(200, "text/plain", "x 1\n".repeat(100));
        assertThatThrownBy(() -> scraper.scrape(url(), Duration.ofSeconds(5), new HttpTargetScraper.Buffer()))
                .isInstanceOf(ScrapeException.class).hasMessage("body size limit exceeded");
        target.answer(new TestTarget.Answer(200, "text/plain", "x 1\n", 2000));
        assertThatThrownBy(() -> scraper.scrape(url(), Duration.ofMillis(300), new HttpTargetScraper.Buffer()))
                .isInstanceOf(ScrapeException.class)
                .extracting(e -> ((ScrapeException) e).reason()).isEqualTo("timeout");
        target.answer(200, "text/plain", "x 1\n");
        assertThatThrownBy(() -> scraper.scrape("http://127.0.0.1:1/metrics", Duration.ofSeconds(2), new HttpTargetScraper.Buffer()))
                .isInstanceOf(ScrapeException.class)
                .extracting(e -> ((ScrapeException) e).reason()).isEqualTo("connect");
    }

    @Test
    void rereadsCredentialFilesOnEveryScrape(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "first\n");
        Path password = dir.resolve("password");
        Files.writeString(password, "secret");
        HttpTargetScraper bearer = scraper("""
                  - job_name: j
                    authorization:
                      credentials_file: %s
                """.formatted(token));
        target.answer(200, "text/plain", "x 1\n");
        bearer.scrape(url(), Duration.ofSeconds(5), new HttpTargetScraper.Buffer());
        assertThat(target.requests().get(target.requests().size() - 1).get("Authorization")).isEqualTo("Bearer first");
        Files.writeString(token, "second");
        bearer.scrape(url(), Duration.ofSeconds(5), new HttpTargetScraper.Buffer());
        assertThat(target.requests().get(target.requests().size() - 1).get("Authorization")).isEqualTo("Bearer second");

        HttpTargetScraper basic = scraper("""
                  - job_name: j
                    basic_auth:
                      username: user
                      password_file: %s
                """.formatted(password));
        basic.scrape(url(), Duration.ofSeconds(5), new HttpTargetScraper.Buffer());
        assertThat(target.requests().get(target.requests().size() - 1).get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void scrapesThroughAProxy() throws Exception {
        // The test target itself acts as the proxy: an HTTP proxy receives the absolute URL in the request line.
        HttpTargetScraper scraper = scraper("""
                  - job_name: j
                    proxy_url: http://%s
                """.formatted(target.address()));
        target.answer(200, "text/plain", "x 1\n");
        int before = target.requests().size();
        scraper.scrape("http://scraped.invalid/metrics", Duration.ofSeconds(5), new HttpTargetScraper.Buffer());
        assertThat(target.requests()).hasSize(before + 1);
        assertThat(target.requests().get(before).get("Host")).isEqualTo("scraped.invalid");
    }
}
