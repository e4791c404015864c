package io.kprom.testsupport;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One real Kafka broker per test JVM: Testcontainers Kafka when a Docker engine is available,
 * otherwise the in-JVM KRaft broker (Kafka's own test kit, combined mode, one node). Started lazily
 * on first use, stopped by a JVM shutdown hook. Thread-safe.
 */
public final class KafkaBroker {
    private static volatile KafkaBroker instance;

    private final String bootstrapServers;
    private final AutoCloseable closer;

    private KafkaBroker(String bootstrapServers, AutoCloseable closer) {
        this.bootstrapServers = bootstrapServers;
        this.closer = closer;
    }

    /** The shared broker, started on first call. */
    public static KafkaBroker shared() {
        KafkaBroker broker = instance;
        if (broker == null) {
            synchronized (KafkaBroker.class) {
                broker = instance;
                if (broker == null) {
                    broker = start();
                    instance = broker;
                    KafkaBroker started = broker;
                    Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "kafka-broker-stop"));
                }
            }
        }
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics (ignoring ones that exist). */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String name : names) {
                if (!existing.contains(name)) {
                    admin.createTopics(java.util.List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics", e);
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(props);
    }

    private static KafkaBroker start() {
        if (DockerProbe.dockerAvailable()) {
            return DockerProbe.startContainer();
        }
        // The broker halts the JVM when its log directory fails, which happens when the JVM's
        // shutdown races the broker's own cleanup; a halted test JVM fails the whole build.
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                System.err.println("in-JVM Kafka broker asked to halt (" + code + "): " + message));
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                System.err.println("in-JVM Kafka broker asked to exit (" + code + "): " + message));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
                    new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    // A killed transactional client leaves its transaction open; the coordinator aborts it
                    // after transaction.timeout.ms, but only checks every this many ms (default 10 s), and
                    // until then read_committed consumers cannot pass it. Fail-over tests wait for this.
                    .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
                    // With transactions v2 a producer's first write of a transaction waits, on the broker, for
                    // the previous transaction's markers; after this long (default 100 ms) the broker gives
                    // up and returns CONCURRENT_TRANSACTIONS, and the client backs off and resends (its later
                    // in-flight batches fail with OUT_OF_ORDER_SEQUENCE and are resent too). On a loaded
                    // machine markers often take longer than 100 ms, and exactly-once Streams apps crawl.
                    .setConfigProp("add.partitions.to.txn.retry.backoff.max.ms", "5000")
                    // 50 partitions (the default) take seconds to create on a loaded machine at first use.
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster.bootstrapServers(), cluster);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM Kafka broker", e);
        }
    }

    /**
     * Stops the broker at JVM exit, waiting at most 20 s: the broker only holds temporary test data, and a
     * test JVM whose exit hangs fails the build.
     */
    private void closeQuietly() {
        Thread stopper = new Thread(() -> {
            try {
                closer.close();
            } catch (Exception ignored) {
                // JVM is exiting; nothing to report to.
            }
        }, "kafka-broker-close");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Isolated so Testcontainers classes load only when Docker is there. */
    static final class DockerProbe {
        static boolean dockerAvailable() {
            if (Boolean.getBoolean("kprom.test.noDocker")) {
                return false;
            }
            // Without a socket or DOCKER_HOST there is no engine; skip Testcontainers' probe and its error log.
            if (System.getenv("DOCKER_HOST") == null && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                    && !java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))) {
                return false;
            }
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable t) {
                return false;
            }
        }

        static KafkaBroker startContainer() {
            var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.0");
            container.start();
            return new KafkaBroker(container.getBootstrapServers(), container::stop);
        }
    }

    /** Producer/consumer settings pointing at this broker. */
    public Map<String, Object> clientConfig() {
        return Map.of("bootstrap.servers", bootstrapServers);
    }
}
