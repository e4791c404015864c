package io.kprom.standalone.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kprom.standalone.KpromCommand;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SIGHUP: {@code kprom component scraper} runs in a child JVM against the test broker; the test
 * rewrites prometheus.yml, sends {@code kill -HUP <pid>} and watches {@code /api/v1/targets} switch to
 * the new scrape job; then a broken file plus SIGHUP is rejected (the old job keeps running and
 * {@code kprom_config_last_reload_successful} drops to 0).
 */
@Tag("slow")
@ExtendWith(KafkaBrokerExtension.class)
class SighupReloadIT {
    private static final Pattern WEB_ADDRESS = Pattern.compile("web listening on (http://127\\.0\\.0\\.1:\\d+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final StringBuffer childOutput = new StringBuffer();
    private final CompletableFuture<String> webAddress = new CompletableFuture<>();
    private Process child;
    private HttpServer exporter;

    @TempDir
    Path directory;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    @Test
    void sighupAppliesTheNewFileAndRejectsABrokenOne(KafkaBroker broker) throws Exception {
        String target = startExporter();
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, scrapeConfig("before_reload", target));
        startScraper(config, broker.bootstrapServers());
        String web = webAddress.get(90, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(get(web + "/api/v1/targets")).contains("\"scrapePool\":\"before_reload\""));

        Files.writeString(config, scrapeConfig("after_reload", target));
        sighup();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            String targets = get(web + "/api/v1/targets");
            assertThat(targets).contains("\"scrapePool\":\"after_reload\"").doesNotContain("before_reload");
        });
        assertThat(get(web + "/metrics")).contains("kprom_config_last_reload_successful 1.0");

        Files.writeString(config, scrapeConfig("after_reload", target).replace("scrape_interval", "scrape_intervall"));
        sighup();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(get(web + "/metrics")).contains("kprom_config_last_reload_successful 0.0"));
        assertThat(get(web + "/api/v1/targets")).contains("\"scrapePool\":\"after_reload\"");
        assertThat(child.isAlive()).as("child still running; output:\n%s", childOutput).isTrue();
    }

    private static String scrapeConfig(String job, String target) {
        return "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: " + job + "\n"
                + "    scrape_interval: 1s\n    static_configs:\n      - targets: ['" + target + "']\n";
    }

    private String startExporter() throws Exception {
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = "# TYPE reload_probe gauge\nreload_probe 1\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        exporter.start();
        return "127.0.0.1:" + exporter.getAddress().getPort();
    }

    private void startScraper(Path config, String bootstrapServers) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KpromCommand.class.getName(), "component", "scraper",
                "--config.file", config.toString(),
                "--kafka.bootstrap-servers", bootstrapServers,
                "--web.listen-address", "127.0.0.1:0",
                "--storage.path", directory.resolve("data").toString())
                .redirectErrorStream(true);
        child = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    childOutput.append(line).append('\n');
                    Matcher matcher = WEB_ADDRESS.matcher(line);
                    if (matcher.find()) {
                        webAddress.complete(matcher.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                // The child exited; its output so far is kept.
            }
            webAddress.completeExceptionally(new IllegalStateException("child exited before serving:\n" + childOutput));
        }, "sighup-it-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void sighup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(child.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
