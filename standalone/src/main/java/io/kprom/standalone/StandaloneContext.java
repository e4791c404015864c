package io.kprom.standalone;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.kafka.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Handler;

/**
 * What a {@link ComponentFactory} gets in standalone mode: the embedded broker's address, the loaded
 * configuration, a storage directory per component, the topic catalogue, and the shared HTTP server
 * to mount routes on. Used on the starting thread only.
 */
public final class StandaloneContext {
    private final String bootstrapServers;
    private final PrometheusConfig config;
    private final Path storagePath;
    private final TopicCatalogue catalogue;
    private final Map<String, Handler> routes = new LinkedHashMap<>();

    StandaloneContext(String bootstrapServers, PrometheusConfig config, Path storagePath, TopicCatalogue catalogue) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.storagePath = storagePath;
        this.catalogue = catalogue;
    }

    /** {@code host:port} of the embedded Kafka broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The {@code --config.file} contents. */
    public PrometheusConfig config() {
        return config;
    }

    /** The {@code --storage.path} root. */
    public Path storagePath() {
        return storagePath;
    }

    /** {@code <storage.path>/<name>}, created if missing: where a component keeps its state (RocksDB, Streams state). */
    public Path componentDirectory(String name) {
        Path directory = storagePath.resolve(name);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        return directory;
    }

    public TopicCatalogue catalogue() {
        return catalogue;
    }

    /**
     * Mounts {@code handler} on the shared web listener; a path ending in {@code /*} matches by prefix.
     *
     * @throws IllegalArgumentException when another component already mounted the same path
     */
    public void route(String path, Handler handler) {
        if (routes.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("HTTP route " + path + " is mounted twice");
        }
    }

    Map<String, Handler> routes() {
        return routes;
    }
}
