package io.kprom.scraper.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kprom.common.config.FileSdConfig;
import io.kprom.common.config.TargetGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscovererTest {

    @Test
    void readsJsonAndYamlAndFollowsChanges(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("a.json");
        Files.writeString(json, """
                [{"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod"}}]
                """);
        Path yaml = dir.resolve("b.yml");
        Files.writeString(yaml, """
                - targets: [host:1]
                - targets: [host:2]
                  labels:
                    team: x
                """);
        FileDiscoverer discoverer = new FileDiscoverer(
                new FileSdConfig(List.of(dir.resolve("*.json").toString(), dir.resolve("*.yml").toString()),
                        Duration.ofMinutes(5)), 50);
        Map<String, TargetGroup> groups = new ConcurrentHashMap<>();
        Thread thread = new Thread(() -> {
            try {
                discoverer.run(update -> update.forEach(g -> groups.put(g.source(), g)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(groups).hasSize(3));
            TargetGroup first = groups.get(json + ":0");
            assertThat(first.targets()).containsExactly("10.0.0.1:9100", "10.0.0.2:9100");
            assertThat(first.labels().get("env")).isEqualTo("prod");
            assertThat(first.labels().get("__meta_filepath")).isEqualTo(json.toString());
            assertThat(groups.get(yaml + ":1").labels().get("team")).isEqualTo("x");

            Files.writeString(yaml, "- targets: [host:9]\n");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(groups.get(yaml + ":0").targets()).containsExactly("host:9");
                assertThat(groups.get(yaml + ":1").targets()).isEmpty();
            });

            Files.writeString(json, "not json");
            Thread.sleep(300);
            assertThat(groups.get(json + ":0").targets()).hasSize(2);

            Files.delete(json);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(groups.get(json + ":0").targets()).isEmpty());
        } finally {
            thread.interrupt();
            thread.join(5000);
        }
        assertThat(thread.isAlive()).isFalse();
    }
}
