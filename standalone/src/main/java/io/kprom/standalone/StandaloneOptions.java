package io.kprom.standalone;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one standalone run.
 *
 * @param configFile the prometheus.yml to load
 * @param storagePath root of all stored data (Kafka under {@code kafka/}, components under their names)
 * @param webListenAddress {@code host:port} of the HTTP server ({@code /metrics}, {@code /-/ready}, component routes)
 * @param kafkaHost interface the embedded broker listens on
 * @param kafkaPort client port of the embedded broker; 0 picks a free one
 * @param startTimeout how long Kafka and each component may take to start
 */
public record StandaloneOptions(Path configFile, Path storagePath, String webListenAddress, String kafkaHost, int kafkaPort,
        Duration startTimeout) {
}
