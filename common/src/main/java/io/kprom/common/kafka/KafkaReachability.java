package io.kprom.common.kafka;

import io.prometheus.metrics.core.metrics.Gauge;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cheap answer to "can this process talk to Kafka right now?", for {@code /-/ready}: one daemon
 * thread asks the cluster for its nodes ({@code describeCluster}, a metadata request) every
 * {@code probeInterval} with a short timeout, and {@link #reachable()} reads the cached outcome, so
 * readiness checks never block on the network.
 *
 * <pre>{@code
 * try (KafkaReachability kafka = KafkaReachability.start(KafkaClientDefaults.admin(bootstrap),
 *         KafkaReachability.Settings.DEFAULT)) {
 *     boolean ready = kafka.reachable() && component.ready();
 * }
 * }</pre>
 *
 * <p>The broker counts as unreachable once no probe has succeeded for {@code unreachableAfter}
 * (one lost probe does not flip readiness) and as reachable again at the first successful probe.
 * Before the first successful probe it is unreachable. Self-metric: {@code kprom_kafka_reachable}
 * (1 or 0, the last instance that probed).
 *
 * <p>Thread-safe. Lifecycle: {@link #start} creates the admin client and the probing thread;
 * {@link #close()} stops both (idempotent).
 */
public final class KafkaReachability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);
    private static final Gauge REACHABLE = Gauge.builder()
            .name("kprom_kafka_reachable")
            .help("1 when the last probes reached the Kafka cluster (describeCluster answered), 0 otherwise.")
            .register();

    /**
     * How often and how patiently to probe.
     *
     * @param probeInterval time between the end of one probe and the start of the next
     * @param probeTimeout how long one probe may wait for the cluster's answer
     * @param unreachableAfter how long without a successful probe before the cluster counts as unreachable
     */
    public record Settings(Duration probeInterval, Duration probeTimeout, Duration unreachableAfter) {
        /** Probe every second with a 2 s timeout; unreachable after 5 s without an answer. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));

        public Settings {
            Objects.requireNonNull(probeInterval, "probeInterval");
            Objects.requireNonNull(probeTimeout, "probeTimeout");
            Objects.requireNonNull(unreachableAfter, "unreachableAfter");
            if (probeInterval.isNegative() || probeInterval.isZero() || probeTimeout.isNegative() || probeTimeout.isZero()) {
                throw new IllegalArgumentException("probe interval and timeout must be positive, got " + probeInterval
                        + " and " + probeTimeout);
            }
        }
    }

    private final Admin admin;
    private final Settings settings;
    private final Thread prober;
    private final Object lock = new Object();
    private volatile long lastSuccessNanos;
    private volatile boolean everReached;
    private volatile boolean closed;

    private KafkaReachability(Admin admin, Settings settings) {
        this.admin = admin;
        this.settings = settings;
        this.prober = new Thread(this::probeLoop, "kprom-kafka-reachability");
        this.prober.setDaemon(true);
    }

    /**
     * Starts probing the cluster that {@code adminConfig} points at ({@code bootstrap.servers} and any
     * security settings; timeouts are set from {@code settings}).
     */
    public static KafkaReachability start(Map<String, Object> adminConfig, Settings settings) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.probeTimeout().toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMillis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        // Reconnect quickly after an outage, so readiness follows the broker within about a probe interval.
        config.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "kprom-reachability");
        KafkaReachability reachability = new KafkaReachability(Admin.create(config), settings);
        reachability.prober.start();
        return reachability;
    }

    /** Whether a probe succeeded within the last {@code unreachableAfter}. Never blocks. */
    public boolean reachable() {
        return everReached && System.nanoTime() - lastSuccessNanos <= settings.unreachableAfter().toNanos();
    }

    /** Waits until the cluster is {@link #reachable()} or {@code timeout} passes; returns whether it is. */
    public boolean awaitReachable(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!reachable() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return reachable();
    }

    private void probeLoop() {
        boolean lastOutcome = true;
        while (!closed) {
            boolean ok = probe();
            if (ok) {
                lastSuccessNanos = System.nanoTime();
                everReached = true;
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
            boolean now = reachable();
            REACHABLE.set(now ? 1 : 0);
            if (now != lastOutcome) {
                LOG.info(now ? "Kafka is reachable again" : "Kafka is unreachable: no answer for {}", settings.unreachableAfter());
                lastOutcome = now;
            }
            try {
                Thread.sleep(settings.probeInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean probe() {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.probeTimeout().toMillis());
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMillis)).nodes()
                    .get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.debug("Kafka probe failed: {}", e.toString());
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        prober.interrupt();
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            prober.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
