package io.kprom.standalone.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kprom.standalone.KpromCommand;
import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.io.BufferedReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 fault 4: two {@code kprom component scraper} replicas run as child JVMs and share 12 targets
 * through the {@code scrape.shards} consumer group; one replica is SIGKILLed (no graceful leave, so the
 * group only notices when its 10 s session expires). Every target the dead replica owned must be scraped by
 * the survivor within two scrape intervals of the kill, and in steady state no target is scraped by both.
 */
@Tag("slow")
@ExtendWith(KafkaBrokerExtension.class)
class ScraperKillIT {
    private static final Pattern WEB_ADDRESS = Pattern.compile("web listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final int TARGETS = 12;
    private static final Duration INTERVAL = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<HttpServer> exporters = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    /** Target address -> wall-clock millis of every scrape it received. */
    private final Map<String, List<Long>> scrapes = new ConcurrentHashMap<>();

    @TempDir
    Path directory;

    @AfterEach
    void stop() throws Exception {
        for (Replica replica : replicas) {
            replica.process.destroy();
            if (!replica.process.waitFor(30, TimeUnit.SECONDS)) {
                replica.process.destroyForcibly();
            }
        }
        exporters.forEach(server -> server.stop(0));
    }

    @Test
    void aKilledReplicasTargetsAreScrapedByTheOtherWithinTwoIntervals(KafkaBroker broker) throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add(startExporter());
        }
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: " + INTERVAL.toSeconds() + "s\nscrape_configs:\n"
                + "  - job_name: kill_it\n    static_configs:\n      - targets: ["
                + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]\n");
        Replica first = startReplica("a", config, broker.bootstrapServers());
        Replica second = startReplica("b", config, broker.bootstrapServers());
        String webA = first.web.get(120, TimeUnit.SECONDS);
        String webB = second.web.get(120, TimeUnit.SECONDS);

        // Steady state: the two replicas own disjoint target sets that together cover every target.
        Set<String>[] owned = new Set[2];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            owned[0] = scrapedHere(webA);
            owned[1] = scrapedHere(webB);
            assertThat(owned[0]).isNotEmpty();
            assertThat(owned[1]).isNotEmpty();
            assertThat(owned[0]).doesNotContainAnyElementsOf(owned[1]);
            Set<String> all = new TreeSet<>(owned[0]);
            all.addAll(owned[1]);
            assertThat(all).containsExactlyInAnyOrderElementsOf(targets);
        });
        // Let every loop run long enough to have scraped, then check nobody is scraped twice per interval.
        await().atMost(INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> targets.stream().allMatch(t -> scrapes.getOrDefault(t, List.of()).size() >= 2));
        long windowStart = System.currentTimeMillis();
        Thread.sleep(INTERVAL.toMillis() * 2);
        long windowEnd = System.currentTimeMillis();
        for (String target : targets) {
            long inWindow = scrapes.get(target).stream().filter(t -> t >= windowStart && t < windowEnd).count();
            assertThat(inWindow).as("scrapes of %s in two intervals of steady state", target).isBetween(1L, 3L);
        }

        Set<String> orphaned = scrapedHere(webA);
        long killedAt = System.currentTimeMillis();
        first.process.destroyForcibly(); // SIGKILL: no LeaveGroup, the group waits for the session to expire
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        long deadline = killedAt + INTERVAL.toMillis() * 2;
        await().atMost(INTERVAL.multipliedBy(2).plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> orphaned.stream().allMatch(t -> scrapedAfter(t, killedAt)));
        for (String target : orphaned) {
            long firstAfterKill = scrapes.get(target).stream().filter(t -> t > killedAt).min(Long::compare).orElseThrow();
            assertThat(firstAfterKill).as("first scrape of %s after the kill (killed at %d)", target, killedAt)
                    .isLessThanOrEqualTo(deadline);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(scrapedHere(webB)).containsExactlyInAnyOrderElementsOf(targets));
        assertThat(second.process.isAlive()).as("survivor output:\n%s", second.output).isTrue();
    }

    private boolean scrapedAfter(String target, long millis) {
        return scrapes.getOrDefault(target, List.of()).stream().anyMatch(t -> t > millis);
    }

    /** Targets whose {@code scrapedHere} is true in a replica's {@code /api/v1/targets}. */
    private Set<String> scrapedHere(String web) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(web + "/api/v1/targets"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Set<String> owned = new TreeSet<>();
        for (JsonNode target : json.readTree(response.body()).path("data").path("activeTargets")) {
            if (target.path("scrapedHere").asBoolean()) {
                owned.add(target.path("labels").path("instance").asText());
            }
        }
        return owned;
    }

    private String startExporter() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String address = "127.0.0.1:" + server.getAddress().getPort();
        List<Long> times = new CopyOnWriteArrayList<>();
        scrapes.put(address, times);
        server.createContext("/metrics", exchange -> {
            times.add(System.currentTimeMillis());
            byte[] body = "# TYPE kill_probe gauge\nkill_probe 1\n".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        exporters.add(server);
        return address;
    }

    private Replica startReplica(String name, Path config, String bootstrapServers) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KpromCommand.class.getName(), "component", "scraper",
                "--config.file", config.toString(),
                "--kafka.bootstrap-servers", bootstrapServers,
                "--web.listen-address", "127.0.0.1:0",
                "--storage.path", directory.resolve("data-" + name).toString())
                .redirectErrorStream(true).start();
        Replica replica = new Replica(process, new CompletableFuture<>(), new StringBuffer());
        replicas.add(replica);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    replica.output.append(line).append('\n');
                    Matcher matcher = WEB_ADDRESS.matcher(line);
                    if (matcher.find()) {
                        replica.web.complete(matcher.group(1));
                    }
                }
            } catch (java.io.IOException e) {
                // The child exited; its output so far is kept.
            }
            replica.web.completeExceptionally(new IllegalStateException("replica " + name + " exited:\n" + replica.output));
        }, "scraper-kill-it-" + name);
        reader.setDaemon(true);
        reader.start();
        return replica;
    }

    private record Replica(Process process, CompletableFuture<String> web, StringBuffer output) {
    }
}
