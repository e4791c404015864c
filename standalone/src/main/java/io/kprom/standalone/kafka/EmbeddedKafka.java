package io.kprom.standalone.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft combined mode: broker and controller in one process),
 * running in this JVM on loopback, with its data under one directory. The directory is formatted
 * on first start (a {@code meta.properties} file marks it); later starts reuse the stored topics
 * and offsets.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, "127.0.0.1", 0, Duration.ofSeconds(60))) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * Start once, close once; {@link #close()} stops the broker and waits for it.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDirectory;
    private final boolean formattedNow;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDirectory, boolean formattedNow) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDirectory = dataDirectory;
        this.formattedNow = formattedNow;
    }

    /**
     * Formats {@code dataDirectory} if it holds no broker yet, starts the broker with its client listener on
     * {@code host:port} (port 0 picks a free one) and returns once it answers requests.
     *
     * @throws EmbeddedKafkaException when the broker does not start or answer within {@code startTimeout}
     */
    public static EmbeddedKafka start(Path dataDirectory, String host, int port, Duration startTimeout) {
        try {
            Files.createDirectories(dataDirectory);
            int brokerPort = port == 0 ? freePort(host) : port;
            int controllerPort = freePort(host);
            Properties properties = brokerProperties(dataDirectory, host, brokerPort, controllerPort);
            KafkaConfig config = KafkaConfig.fromProps(properties, false);
            boolean format = !Files.exists(dataDirectory.resolve("meta.properties"));
            if (format) {
                format(config, dataDirectory);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            String bootstrap = host + ":" + brokerPort;
            EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dataDirectory, format);
            try {
                kafka.awaitReady(startTimeout);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            return kafka;
        } catch (EmbeddedKafkaException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedKafkaException("cannot start the embedded Kafka broker in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** True when this start formatted a new data directory, false when it reused stored data. */
    public boolean formattedNow() {
        return formattedNow;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties brokerProperties(Path dataDirectory, String host, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dataDirectory.toAbsolutePath().toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                // Transactions v2 (Kafka 4): a producer's first write of a transaction waits on the broker for the
                // previous transaction's markers, only 100 ms by default; then CONCURRENT_TRANSACTIONS and retriable
                // out-of-order errors storm the processor's producers. Wait longer instead.
                Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "5000"),
                // A killed processor leaves its transaction open until transaction.timeout.ms; check for such
                // transactions every 5 s (default 10 s) so readers are unblocked sooner after a crash.
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("message.max.bytes", Integer.toString(16 * 1024 * 1024 + 1024)),
                Map.entry("socket.request.max.bytes", Integer.toString(128 * 1024 * 1024))));
        return p;
    }

    private static void format(KafkaConfig config, Path dataDirectory) throws Exception {
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(NODE_ID)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(dataDirectory.toAbsolutePath().toString()))
                    .setPrintStream(quiet)
                    .run();
        }
        LOG.info("formatted new Kafka storage in {}", dataDirectory);
    }

    private void awaitReady(Duration timeout) {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "kprom-standalone-startup");
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin client = Admin.create(admin)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!client.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while waiting for the embedded Kafka broker", e);
        }
        throw new EmbeddedKafkaException("the embedded Kafka broker did not answer on " + bootstrapServers + " within " + timeout, last);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }
}
