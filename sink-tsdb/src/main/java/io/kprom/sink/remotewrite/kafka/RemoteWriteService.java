package io.kprom.sink.remotewrite.kafka;

import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * All {@code remote_write} endpoints of a prometheus.yml: one {@link RemoteWriteQueue} (own
 * consumer group) per entry. Lifecycle: {@link #start()} once, {@link #close()} once.
 *
 * <pre>{@code
 * RemoteWriteService remoteWrite = new RemoteWriteService(config.remoteWrite(),
 *     config.global().externalLabels(), Topics.METRICS_SAMPLES, Map.of("bootstrap.servers", brokers));
 * remoteWrite.start();
 * }</pre>
 */
public final class RemoteWriteService implements AutoCloseable {
    private final List<RemoteWriteQueue> queues = new ArrayList<>();

    public RemoteWriteService(List<RemoteWriteConfig> configs, Labels externalLabels, String topic,
            Map<String, Object> consumerProperties) {
        for (RemoteWriteConfig config : configs) {
            queues.add(new RemoteWriteQueue(config, externalLabels, topic, consumerProperties));
        }
    }

    public void start() {
        for (RemoteWriteQueue queue : queues) {
            queue.start();
        }
    }

    public List<RemoteWriteQueue> queues() {
        return List.copyOf(queues);
    }

    /** The entry's {@code name}, or (as Prometheus does) a short hash of its URL when unnamed. */
    public static String remoteName(RemoteWriteConfig config) {
        if (config.name() != null && !config.name().isEmpty()) {
            return config.name();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(config.url().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (RemoteWriteQueue queue : queues) {
            queue.close();
        }
    }
}
