package io.kprom.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientDefaultsTest {
    @Test
    void producerIsIdempotentWithAllAcksAndCompression() {
        Map<String, Object> producer = KafkaClientDefaults.producer("localhost:9092", Map.of());
        assertThat(producer).containsEntry("enable.idempotence", true).containsEntry("acks", "all")
                .containsEntry("compression.type", "zstd").containsKeys("linger.ms", "batch.size");
    }

    @Test
    void overridesWin() {
        assertThat(KafkaClientDefaults.producer("b:1", Map.of("compression.type", "lz4"))).containsEntry("compression.type", "lz4");
        assertThat(KafkaClientDefaults.consumer("b:1", "g", Map.of("max.poll.records", 5)))
                .containsEntry("max.poll.records", 5).containsEntry("group.id", "g").containsEntry("enable.auto.commit", false);
    }
}
