package io.kprom.evaluator;

import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.scraper.discovery.Discoverer;
import io.kprom.scraper.scrape.HttpClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code alerting.alertmanagers} entry, as Prometheus's alertmanager set: its discoverers
 * (static, file, Kubernetes) keep the target groups current; every update rebuilds the list of
 * Alertmanagers ({@link AlertmanagerEndpoint#fromGroups}, with the entry's {@code relabel_configs}),
 * which the notifier reads at each send. Requests go through one OkHttp client built by the
 * scraper's {@link HttpClients} from the entry's {@code tls_config} (CA, client certificate,
 * {@code server_name}, {@code insecure_skip_verify}), with the entry's {@code timeout} per request
 * and its {@code basic_auth}/{@code authorization} read (files re-read) per request.
 *
 * <p>Thread-safe. Lifecycle: {@link #start()} starts one daemon thread per discoverer;
 * {@link #close()} interrupts and joins them.
 */
final class AlertmanagerSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSet.class);

    private final String name;
    private final AlertingConfig.AlertmanagerConfig config;
    private final OkHttpClient client;
    private final List<Discoverer> discoverers;
    private final Map<String, TargetGroup> groups = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Runnable onChange;
    private volatile List<AlertmanagerEndpoint> endpoints = List.of();

    /**
     * @param name the set's name in logs ({@code config-<index>}, as Prometheus)
     * @param onChange called after the endpoints changed (from a discoverer thread)
     */
    AlertmanagerSet(String name, AlertingConfig.AlertmanagerConfig config, HttpClients clients,
            AlertmanagerDiscovery discovery, Runnable onChange) throws IOException {
        this.name = name;
        this.config = config;
        try {
            this.client = clients.forConfig(config.httpClientConfig()).newBuilder()
                    .callTimeout(config.timeout()).build();
        } catch (IOException e) {
            // E.g. a tls_config file that is missing or not PEM: say which entry.
            throw new IOException("alerting.alertmanagers " + name + ": cannot build the HTTP client: " + e, e);
        }
        this.discoverers = discovery.discoverers(config);
        this.onChange = onChange;
    }

    /** Builds one set per {@code alertmanagers} entry, named {@code config-0}, {@code config-1}, ... */
    static List<AlertmanagerSet> fromConfig(AlertingConfig alerting, HttpClients clients, AlertmanagerDiscovery discovery,
            Runnable onChange) throws IOException {
        List<AlertmanagerSet> sets = new ArrayList<>();
        int index = 0;
        for (AlertingConfig.AlertmanagerConfig config : alerting.alertmanagers()) {
            sets.add(new AlertmanagerSet("config-" + index++, config, clients, discovery, onChange));
        }
        return sets;
    }

    void start() {
        for (int i = 0; i < discoverers.size(); i++) {
            Discoverer discoverer = discoverers.get(i);
            Thread thread = new Thread(() -> {
                try {
                    discoverer.run(this::update);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.error("Alertmanager discovery of {} stopped", name, e);
                }
            }, "evaluator-am-discovery-" + name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void update(List<TargetGroup> changed) {
        List<AlertmanagerEndpoint> rebuilt;
        synchronized (groups) {
            for (TargetGroup group : changed) {
                if (group.targets().isEmpty()) {
                    groups.remove(group.source());
                } else {
                    groups.put(group.source(), group);
                }
            }
            Consumer<String> invalid = message -> LOG.warn("Alertmanager set {}: {}", name, message);
            rebuilt = List.copyOf(AlertmanagerEndpoint.fromGroups(groups.values(), config, invalid));
        }
        if (!rebuilt.equals(endpoints)) {
            endpoints = rebuilt;
            LOG.info("Alertmanager set {} now has {} Alertmanagers: {}", name, rebuilt.size(),
                    rebuilt.stream().map(e -> e.url().toString()).toList());
            onChange.run();
        }
    }

    String name() {
        return name;
    }

    /** The Alertmanagers discovered now (an immutable snapshot). */
    List<AlertmanagerEndpoint> endpoints() {
        return endpoints;
    }

    /** This entry's own {@code alert_relabel_configs}, applied after the global ones. */
    List<RelabelConfig> alertRelabelConfigs() {
        return config.alertRelabelConfigs();
    }

    OkHttpClient client() {
        return client;
    }

    /** Adds {@code Authorization} and {@code http_headers}, reading credential files now. */
    void authorize(Request.Builder request) throws IOException {
        HttpClients.authorize(request, config.httpClientConfig());
    }

    @Override
    public void close() throws InterruptedException {
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }
}
