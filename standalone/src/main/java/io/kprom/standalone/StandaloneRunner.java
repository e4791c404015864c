package io.kprom.standalone;

import io.kprom.common.config.ConfigException;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.http.HttpServer;
import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.KafkaReachability;
import io.kprom.common.kafka.TopicAdmin;
import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.common.lifecycle.Component;
import io.kprom.standalone.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs kprom in one JVM: the embedded Kafka broker, the topics of the catalogue, the shared HTTP
 * server and the components from a list of {@link ComponentFactory}s.
 *
 * <pre>{@code
 * try (StandaloneRunner runner = new StandaloneRunner(options, StandaloneComponents.all(), System.out)) {
 *     runner.start();
 *     ...
 * }
 * }</pre>
 *
 * Start order: Kafka, topics, component creation (routes mounted), HTTP server ({@code /-/ready} answers 503
 * until every component started and reports ready), components in list order.
 *
 * <p>Readiness: {@code /-/ready} answers 200 only while every component started, every component's
 * {@link Component#ready()} is true and the Kafka cluster answers ({@link KafkaReachability}): with the broker
 * unreachable no component can make progress, whatever each one's own view, so the process reports
 * not ready; once the broker answers again (and the components recovered) it reports ready again. Nothing is
 * restarted: the components' Kafka clients reconnect by themselves. {@link #close()} stops
 * in reverse order and may be called from a shutdown hook; it is idempotent. When any step of
 * {@link #start()} fails, everything started so far is stopped and a {@link StartupException} says why.
 */
public final class StandaloneRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRunner.class);

    private static final KafkaReachability.Settings REACHABILITY = KafkaReachability.Settings.DEFAULT;

    private final StandaloneOptions options;
    private final List<ComponentFactory> factories;
    private final PrintStream out;
    private final TopicCatalogue catalogue;
    private final String externalBootstrapServers;
    private String bootstrapServers;
    private final List<Component> started = new ArrayList<>();
    private EmbeddedKafka kafka;
    private volatile KafkaReachability reachability;
    private HttpServer http;
    private TopicAdmin.Report topicReport;
    private volatile boolean allStarted;
    private boolean closed;

    public StandaloneRunner(StandaloneOptions options, List<ComponentFactory> factories, PrintStream out) {
        this(options, factories, out, TopicCatalogue.defaults());
    }

    public StandaloneRunner(StandaloneOptions options, List<ComponentFactory> factories, PrintStream out, TopicCatalogue catalogue) {
        this(options, factories, out, catalogue, null);
    }

    /**
     * With {@code externalBootstrapServers} set, no broker is embedded: the components use that
     * Kafka cluster (how {@code kprom scraper|processor|sink|evaluator} run on Kubernetes).
     */
    public StandaloneRunner(StandaloneOptions options, List<ComponentFactory> factories, PrintStream out,
            TopicCatalogue catalogue, String externalBootstrapServers) {
        this.externalBootstrapServers = externalBootstrapServers;
        this.options = options;
        this.factories = List.copyOf(factories);
        this.out = out;
        this.catalogue = catalogue;
    }

    public synchronized void start() throws StartupException {
        try {
            PrometheusConfig config = loadConfig();
            if (externalBootstrapServers == null) {
                kafka = EmbeddedKafka.start(options.storagePath().resolve("kafka"), options.kafkaHost(), options.kafkaPort(),
                        options.startTimeout());
                bootstrapServers = kafka.bootstrapServers();
                out.printf("kprom: Kafka broker listening on %s (data in %s, %s)%n", kafka.bootstrapServers(),
                        kafka.dataDirectory(), kafka.formattedNow() ? "newly formatted" : "reusing stored data");
            } else {
                bootstrapServers = externalBootstrapServers;
                out.printf("kprom: using Kafka at %s%n", bootstrapServers);
            }
            topicReport = ensureTopics();
            reachability = KafkaReachability.start(KafkaClientDefaults.admin(bootstrapServers), REACHABILITY);
            // The topics step just talked to the cluster, so the first probe answers at once; waiting for it means
            // /-/ready does not report a transient "unreachable" right after start() returned.
            reachability.awaitReachable(options.startTimeout());
            StandaloneContext context = new StandaloneContext(bootstrapServers, config, options.storagePath(), catalogue);
            List<Component> components = createComponents(context);
            http = startHttp(context, components);
            out.printf("kprom: web listening on http://%s:%d (/metrics, /-/healthy, /-/ready%s)%n",
                    http.address().getHostString(), http.port(), routesSuffix(context));
            for (Component component : components) {
                startComponent(component);
            }
            allStarted = true;
            out.printf("kprom: ready (%d component%s)%n", components.size(), components.size() == 1 ? "" : "s");
        } catch (StartupException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new StartupException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The embedded broker's address; valid after {@link #start()}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The bound web port; valid after {@link #start()}. */
    public int webPort() {
        return http.port();
    }

    /** What the topic step found; valid after {@link #start()}. */
    public TopicAdmin.Report topicReport() {
        return topicReport;
    }

    /** True when this run formatted new Kafka storage (first start on this storage path). */
    public boolean formattedNewStorage() {
        return kafka != null && kafka.formattedNow();
    }

    private PrometheusConfig loadConfig() throws StartupException {
        try {
            return PrometheusConfig.load(options.configFile());
        } catch (ConfigException e) {
            throw new StartupException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private TopicAdmin.Report ensureTopics() {
        try (Admin admin = Admin.create(KafkaClientDefaults.admin(bootstrapServers))) {
            TopicAdmin.Report report = new TopicAdmin(admin, options.startTimeout()).ensureTopics(catalogue.topics());
            out.printf("kprom: topics created %s, existing %s%s%n", report.created(), report.existing(),
                    report.matchesCatalogue() ? "" : ", differing from the catalogue " + report.differences());
            return report;
        }
    }

    private List<Component> createComponents(StandaloneContext context) throws StartupException {
        List<Component> components = new ArrayList<>();
        for (ComponentFactory factory : factories) {
            try {
                components.add(factory.create(context));
            } catch (Exception e) {
                throw new StartupException("cannot create component " + factory + ": " + e.getMessage(), e);
            }
        }
        return components;
    }

    private HttpServer startHttp(StandaloneContext context, List<Component> components) throws StartupException {
        HttpServer.Builder builder = HttpServer.builder().listenAddress(options.webListenAddress())
                .readiness(() -> ready(components));
        context.routes().forEach(builder::route);
        HttpServer server = builder.build();
        try {
            return server.start();
        } catch (Exception e) {
            try {
                server.close();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            throw new StartupException("cannot listen on " + options.webListenAddress() + ": " + e.getMessage(), e);
        }
    }

    /** What {@code /-/ready} answers: all started, Kafka reachable, every component ready. */
    private boolean ready(List<Component> components) {
        KafkaReachability kafkaReachability = reachability;
        return allStarted && kafkaReachability != null && kafkaReachability.reachable()
                && components.stream().allMatch(Component::ready);
    }

    /** Whether the Kafka cluster answered recently (false before {@link #start()} and after {@link #close()}). */
    public boolean kafkaReachable() {
        KafkaReachability kafkaReachability = reachability;
        return kafkaReachability != null && kafkaReachability.reachable();
    }

    private void startComponent(Component component) throws StartupException {
        try {
            component.start();
        } catch (Exception e) {
            // close() will not see it in "started"; release whatever it acquired before failing.
            closeQuietly(component);
            throw new StartupException("component " + component.name() + " failed to start: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        started.add(component);
        out.printf("kprom: started %s%n", component.name());
    }

    private static String routesSuffix(StandaloneContext context) {
        return context.routes().isEmpty() ? "" : ", " + String.join(", ", context.routes().keySet());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        allStarted = false;
        if (http != null) {
            try {
                http.close();
            } catch (Exception e) {
                LOG.warn("stopping the HTTP server: {}", e.toString());
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            closeQuietly(started.get(i));
        }
        started.clear();
        if (reachability != null) {
            reachability.close();
            reachability = null;
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void closeQuietly(Component component) {
        try {
            component.close();
        } catch (Exception e) {
            LOG.warn("stopping component {}: {}", component.name(), e.toString());
        }
    }
}
