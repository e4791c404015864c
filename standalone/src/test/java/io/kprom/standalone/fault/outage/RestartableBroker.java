package io.kprom.standalone.fault.outage;

import io.kprom.standalone.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A single-node KRaft broker that a test can stop and start again on the same client port and the same
 * log directory, so clients that knew it reconnect to it and find their topics, offsets and
 * transactions as they left them. Not thread-safe: one test thread drives it.
 */
public final class RestartableBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDirectory;
    private EmbeddedKafka kafka;
    private int port;

    public RestartableBroker(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Starts the broker: on a free port the first time, on the same port afterwards. */
    public void start() {
        if (kafka != null) {
            throw new IllegalStateException("the broker is already running on " + bootstrapServers());
        }
        kafka = EmbeddedKafka.start(dataDirectory, "127.0.0.1", port, START_TIMEOUT);
        String bootstrap = kafka.bootstrapServers();
        port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    /** Shuts the broker down cleanly and waits for it; its port and data stay reserved for {@link #start()}. */
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** {@code 127.0.0.1:port}, the same across restarts; valid after the first {@link #start()}. */
    public String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("start() the broker first");
        }
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
