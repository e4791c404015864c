package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertState;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.scraper.discovery.kubernetes.KubernetesDiscoverer;
import io.kprom.scraper.scrape.HttpClients;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alertmanagers found by file and Kubernetes service discovery, with {@code relabel_configs} on the
 * discovered targets: notifications follow the discovered set as it changes. Two local receivers
 * stand in for Alertmanagers; the Kubernetes API is fabric8's mock server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class AlertmanagerDiscoveryTest {
    static KubernetesClient client;

    private final List<String> hits = new CopyOnWriteArrayList<>();
    private final List<HttpServer> receivers = new ArrayList<>();
    private final HttpClients clients = new HttpClients();
    private final List<AlertmanagerSet> sets = new ArrayList<>();
    private volatile AlertmanagerNotifier notifier;
    @TempDir
    Path dir;

    @BeforeAll
    static void warmUp() {
        // The first TLS connection to the mock server can be slow on a busy machine.
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> client.namespaces().list() != null);
    }

    @BeforeEach
    void startReceivers() throws Exception {
        for (String name : List.of("a", "b")) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                hits.add(name + " " + exchange.getRequestURI().getPath());
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            receivers.add(server);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (notifier != null) {
            notifier.close();
        }
        for (AlertmanagerSet set : sets) {
            set.close();
        }
        clients.close();
        receivers.forEach(server -> server.stop(0));
        client.pods().inAnyNamespace().delete();
    }

    private int port(int receiver) {
        return receivers.get(receiver).getAddress().getPort();
    }

    private void start(String alertingYaml, AlertmanagerDiscovery discovery) throws Exception {
        AlertingConfig alerting = PrometheusConfig.parse(alertingYaml, dir.resolve("prometheus.yml")).alerting();
        sets.addAll(AlertmanagerSet.fromConfig(alerting, clients, discovery, () -> {
            if (notifier != null) {
                notifier.alertmanagersChanged();
            }
        }));
        notifier = new AlertmanagerNotifier(sets, Labels.EMPTY, List.of(), "", 10_000);
        sets.forEach(AlertmanagerSet::start);
    }

    private List<String> endpoints() {
        return sets.get(0).endpoints().stream().map(e -> e.url().toString()).toList();
    }

    /** Sends one alert and waits until its batch was sent; returns what the receivers saw. */
    private List<String> notifyOnce() {
        hits.clear();
        long before = notifier.batchesDone();
        AlertingRule rule = new AlertingRule(new RuleSpec.Alerting("A", "up == 0", Duration.ZERO, Duration.ZERO,
                Labels.EMPTY, Map.of()));
        notifier.send(rule, List.of(new Alert(Labels.of("alertname", "A"), Map.of(), AlertState.FIRING, 1, 1000, 2000,
                0, 2000, 242_000, 0)));
        await().atMost(Duration.ofSeconds(20)).until(() -> notifier.batchesDone() > before);
        return List.copyOf(hits);
    }

    @Test
    void fileDiscoveryWithRelabelingFollowsTheRewrittenFile() throws Exception {
        Path targets = dir.resolve("alertmanagers.json");
        Files.writeString(targets, """
                [{"targets": ["127.0.0.1:%d"], "labels": {"prefix": "team-a"}},
                 {"targets": ["127.0.0.1:%d"], "labels": {"drop": "true"}}]
                """.formatted(port(0), port(1)));
        start("""
                alerting:
                  alertmanagers:
                    - file_sd_configs:
                        - files: ['%s']
                      relabel_configs:
                        - source_labels: [drop]
                          regex: "true"
                          action: drop
                        - source_labels: [prefix]
                          regex: (.+)
                          target_label: __alerts_path__
                          replacement: /$1/api/v2/alerts
                """.formatted(targets), AlertmanagerDiscovery.STANDARD);
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoints().size() == 1);
        assertThat(endpoints()).containsExactly("http://127.0.0.1:" + port(0) + "/team-a/api/v2/alerts");
        assertThat(notifyOnce()).containsExactly("a /team-a/api/v2/alerts");

        // Rewritten: receiver b is kept (default path), receiver a is gone.
        Files.writeString(targets, """
                [{"targets": ["127.0.0.1:%d"], "labels": {"team": "b, rewritten"}}]
                """.formatted(port(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> endpoints().equals(
                List.of("http://127.0.0.1:" + port(1) + "/api/v2/alerts")));
        assertThat(notifyOnce()).containsExactly("b /api/v2/alerts");
        assertThat(EvaluatorMetrics.ALERTMANAGERS_DISCOVERED.get()).isEqualTo(1);
    }

    private static Pod pod(String name, String app, int port) {
        return new PodBuilder().withNewMetadata().withNamespace("monitoring").withName(name).addToLabels("app", app)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("am").withImage("alertmanager")
                .addNewPort().withName("web").withContainerPort(port).withProtocol("TCP").endPort()
                .endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1").withPhase("Running").endStatus().build();
    }

    @Test
    void kubernetesPodDiscoveryWithRelabelingFollowsPods() throws Exception {
        client.pods().inNamespace("monitoring").resource(pod("am-0", "alertmanager", port(0))).create();
        client.pods().inNamespace("monitoring").resource(pod("web-0", "web", port(1))).create();
        start("""
                alerting:
                  alertmanagers:
                    - path_prefix: /am
                      kubernetes_sd_configs:
                        - role: pod
                          namespaces:
                            names: [monitoring]
                      relabel_configs:
                        - source_labels: [__meta_kubernetes_pod_label_app]
                          regex: alertmanager
                          action: keep
                        - source_labels: [__meta_kubernetes_pod_container_port_name]
                          regex: web
                          action: keep
                """, config -> List.of(new KubernetesDiscoverer(config.kubernetesSdConfigs().get(0), client)));
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoints().size() == 1);
        assertThat(endpoints()).containsExactly("http://127.0.0.1:" + port(0) + "/am/api/v2/alerts");
        assertThat(notifyOnce()).containsExactly("a /am/api/v2/alerts");

        // The Alertmanager pod is replaced by one on the other port.
        client.pods().inNamespace("monitoring").withName("am-0").delete();
        client.pods().inNamespace("monitoring").resource(pod("am-1", "alertmanager", port(1))).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoints().equals(
                List.of("http://127.0.0.1:" + port(1) + "/am/api/v2/alerts")));
        assertThat(notifyOnce()).containsExactly("b /am/api/v2/alerts");
    }

    @Test
    void alertsPathJoinsPrefixLikePathJoin() {
        assertThat(AlertmanagerEndpoint.alertsPath("", "v2")).isEqualTo("/api/v2/alerts");
        assertThat(AlertmanagerEndpoint.alertsPath("/", "v2")).isEqualTo("/api/v2/alerts");
        assertThat(AlertmanagerEndpoint.alertsPath("prefix/", "v2")).isEqualTo("/prefix/api/v2/alerts");
        assertThat(AlertmanagerEndpoint.alertsPath("//a//b", "v2")).isEqualTo("/a/b/api/v2/alerts");
    }
}
