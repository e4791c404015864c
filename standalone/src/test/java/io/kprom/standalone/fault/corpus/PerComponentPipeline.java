package io.kprom.standalone.fault.corpus;

import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.TopicAdmin;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.standalone.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The broker in this JVM; sink, processor and scraper of {@link LimitedPipeline} each in a child JVM
 * ({@link ComponentProcess}) with the given heap, so each one's memory is its own.
 */
public final class PerComponentPipeline implements BombPipeline {
    private final EmbeddedKafka kafka;
    private final Map<String, ComponentProcess> components = new LinkedHashMap<>();

    public PerComponentPipeline(Path config, Path dir, String job, long jobLimit, String heap, TopicCatalogue catalogue)
            throws IOException {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", 0, Duration.ofSeconds(120));
        try {
            String bootstrap = kafka.bootstrapServers();
            // Topics first, with the catalogue's settings (the processor would create missing ones with broker
            // defaults); then the three components start side by side.
            try (Admin admin = Admin.create(KafkaClientDefaults.admin(bootstrap))) {
                new TopicAdmin(admin, Duration.ofSeconds(60)).ensureTopics(catalogue.topics());
            }
            for (String role : new String[] {"sink", "processor", "scraper"}) {
                components.put(role, ComponentProcess.start(role, heap, dir, config, dir.resolve(role), bootstrap, job,
                        jobLimit));
            }
            for (ComponentProcess component : components.values()) {
                component.webPort();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public PipelineApi queries() throws IOException {
        return new PipelineApi(components.get("sink").webPort());
    }

    @Override
    public PipelineApi processorMetrics() throws IOException {
        return new PipelineApi(components.get("processor").webPort());
    }

    @Override
    public Map<String, PipelineApi> listeners() throws IOException {
        Map<String, PipelineApi> listeners = new LinkedHashMap<>();
        for (Map.Entry<String, ComponentProcess> entry : components.entrySet()) {
            listeners.put(entry.getKey(), new PipelineApi(entry.getValue().webPort()));
        }
        return listeners;
    }

    @Override
    public Map<String, MemoryReport> memory() throws IOException {
        Map<String, MemoryReport> memory = new LinkedHashMap<>();
        for (Map.Entry<String, ComponentProcess> entry : components.entrySet()) {
            memory.put(entry.getKey(), entry.getValue().memory());
        }
        return memory;
    }

    @Override
    public void close() {
        // Scraper first, sink last, then the broker.
        List<ComponentProcess> started = new ArrayList<>(components.values());
        Collections.reverse(started);
        started.forEach(ComponentProcess::close);
        kafka.close();
    }
}
