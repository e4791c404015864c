package io.kprom.scraper.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.KubernetesSdConfig;
import io.kprom.common.config.TargetGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kubernetes SD against fabric8's mock API server in CRUD mode: targets follow creates, updates and deletes. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDiscovererTest {
    static KubernetesClient client;

    private final Map<String, TargetGroup> groups = new ConcurrentHashMap<>();
    private Thread thread;

    @BeforeAll
    static void warmUp() {
        // The first TLS connection to the mock server can be slow on a busy machine.
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> client.namespaces().list() != null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }
        // The mock server lives for the whole class: leave it empty for the next test.
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.discovery().v1().endpointSlices().inAnyNamespace().delete();
        client.network().v1().ingresses().inAnyNamespace().delete();
        client.nodes().delete();
        client.namespaces().delete();
    }

    private void run(String role, List<String> namespaces, List<KubernetesSdConfig.Selector> selectors, boolean attachNode) {
        KubernetesSdConfig config = new KubernetesSdConfig(role, null, null, HttpClientConfig.DEFAULT, false, namespaces,
                selectors, attachNode, false);
        KubernetesDiscoverer discoverer = new KubernetesDiscoverer(config, client);
        thread = new Thread(() -> {
            try {
                discoverer.run(update -> update.forEach(g -> groups.put(g.source(), g)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "k8s-sd-test");
        thread.start();
    }

    /** Live targets as address -> all labels. */
    private Map<String, Map<String, String>> targets() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (TargetGroup group : groups.values()) {
            for (String address : group.targets()) {
                Map<String, String> labels = new TreeMap<>(group.labels().toMap());
                out.put(address + (labels.containsKey("__meta_kubernetes_pod_container_name")
                        ? "/" + labels.get("__meta_kubernetes_pod_container_name") : ""), labels);
            }
        }
        return out;
    }

    private static Pod pod(String namespace, String name, String ip, String app) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid("uid-" + name)
                .addToLabels("app", app).addToLabels("app.kubernetes.io/part-of", "shop")
                .addToAnnotations("prometheus.io/scrape", "true")
                .addNewOwnerReference().withKind("ReplicaSet").withName("rs-" + app).withController(true)
                .withApiVersion("apps/v1").withUid("rs").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("web").withImage("web:1")
                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("side:2").endContainer()
                .addNewInitContainer().withName("init").withImage("init:3").endInitContainer()
                .endSpec()
                .withNewStatus().withPodIP(ip).withHostIP("192.168.0.1").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("web").withContainerID("containerd://abc").endContainerStatus()
                .endStatus().build();
    }

    @Test
    void podRoleProducesPrometheusLabelsAndFollowsChanges() {
        // The API server assigns the UID.
        String uid = client.pods().inNamespace("shop").resource(pod("shop", "web-1", "10.0.0.5", "web")).create()
                .getMetadata().getUid();
        client.pods().inNamespace("other").resource(pod("other", "ignored", "10.0.0.6", "web")).create();
        run("pod", List.of("shop"), List.of(), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().size() == 4);
        Map<String, String> web = targets().get("10.0.0.5:9090/web");
        assertThat(web).isEqualTo(new TreeMap<>(Map.ofEntries(
                Map.entry("__meta_kubernetes_namespace", "shop"),
                Map.entry("__meta_kubernetes_pod_name", "web-1"),
                Map.entry("__meta_kubernetes_pod_ip", "10.0.0.5"),
                Map.entry("__meta_kubernetes_pod_uid", uid),
                Map.entry("__meta_kubernetes_pod_ready", "true"),
                Map.entry("__meta_kubernetes_pod_phase", "Running"),
                Map.entry("__meta_kubernetes_pod_node_name", "node-1"),
                Map.entry("__meta_kubernetes_pod_host_ip", "192.168.0.1"),
                Map.entry("__meta_kubernetes_pod_label_app", "web"),
                Map.entry("__meta_kubernetes_pod_labelpresent_app", "true"),
                Map.entry("__meta_kubernetes_pod_label_app_kubernetes_io_part_of", "shop"),
                Map.entry("__meta_kubernetes_pod_labelpresent_app_kubernetes_io_part_of", "true"),
                Map.entry("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
                Map.entry("__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true"),
                Map.entry("__meta_kubernetes_pod_controller_kind", "ReplicaSet"),
                Map.entry("__meta_kubernetes_pod_controller_name", "rs-web"),
                Map.entry("__meta_kubernetes_pod_container_name", "web"),
                Map.entry("__meta_kubernetes_pod_container_image", "web:1"),
                Map.entry("__meta_kubernetes_pod_container_id", "containerd://abc"),
                Map.entry("__meta_kubernetes_pod_container_init", "false"),
                Map.entry("__meta_kubernetes_pod_container_port_name", "metrics"),
                Map.entry("__meta_kubernetes_pod_container_port_number", "9090"),
                Map.entry("__meta_kubernetes_pod_container_port_protocol", "TCP"))));
        assertThat(targets()).containsKeys("10.0.0.5:8080/web", "10.0.0.5/sidecar", "10.0.0.5/init");
        assertThat(targets().get("10.0.0.5/init")).containsEntry("__meta_kubernetes_pod_container_init", "true")
                .doesNotContainKey("__meta_kubernetes_pod_container_port_number");

        client.pods().inNamespace("shop").withName("web-1").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("app", "web-v2").endMetadata().build());
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().size() == 4
                && "web-v2".equals(targets().get("10.0.0.5:9090/web").get("__meta_kubernetes_pod_label_app")));

        client.pods().inNamespace("shop").withName("web-1").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().isEmpty());
    }

    @Test
    void serviceRoleWithLabelSelector() {
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("api").addToLabels("tier", "backend").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withPort(9100).withProtocol("TCP").endPort()
                .endSpec().build()).create();
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("frontend").addToLabels("tier", "frontend").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        run("service", List.of(), List.of(new KubernetesSdConfig.Selector("service", "tier=backend", null)), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().size() == 2);
        assertThat(targets().get("api.shop.svc:9100")).isEqualTo(new TreeMap<>(Map.of(
                "__meta_kubernetes_namespace", "shop",
                "__meta_kubernetes_service_name", "api",
                "__meta_kubernetes_service_label_tier", "backend",
                "__meta_kubernetes_service_labelpresent_tier", "true",
                "__meta_kubernetes_service_port_name", "metrics",
                "__meta_kubernetes_service_port_number", "9100",
                "__meta_kubernetes_service_port_protocol", "TCP",
                "__meta_kubernetes_service_type", "ClusterIP",
                "__meta_kubernetes_service_cluster_ip", "10.96.0.10")));
        client.services().inNamespace("shop").withName("api").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().isEmpty());
    }

    @Test
    void endpointSliceRoleJoinsServiceAndPodAndFollowsChanges() {
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("web").addToLabels("svc", "yes").endMetadata()
                .withNewSpec().withType("ClusterIP").addNewPort().withName("http").withPort(80).endPort().endSpec().build())
                .create();
        client.pods().inNamespace("shop").resource(pod("shop", "web-1", "10.0.0.5", "web")).create();
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder().withNewMetadata()
                .withNamespace("shop").withName("web-abc").addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("10.0.0.5").withNodeName("node-1").withZone("z1")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web-1").endTargetRef().endEndpoint()
                .build()).create();
        run("endpointslice", List.of("shop"), List.of(), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().containsKey("10.0.0.5:8080/web")
                && targets().containsKey("10.0.0.5:9090/web"));
        Map<String, String> endpoint = targets().get("10.0.0.5:8080/web");
        assertThat(endpoint).containsEntry("__meta_kubernetes_endpointslice_name", "web-abc")
                .containsEntry("__meta_kubernetes_endpointslice_address_type", "IPv4")
                .containsEntry("__meta_kubernetes_endpointslice_port", "8080")
                .containsEntry("__meta_kubernetes_endpointslice_port_name", "http")
                .containsEntry("__meta_kubernetes_endpointslice_port_protocol", "TCP")
                .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true")
                .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true")
                .containsEntry("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false")
                .containsEntry("__meta_kubernetes_endpointslice_endpoint_node_name", "node-1")
                .containsEntry("__meta_kubernetes_endpointslice_endpoint_zone", "z1")
                .containsEntry("__meta_kubernetes_endpointslice_address_target_kind", "Pod")
                .containsEntry("__meta_kubernetes_endpointslice_address_target_name", "web-1")
                .containsEntry("__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "web")
                .containsEntry("__meta_kubernetes_service_name", "web")
                .containsEntry("__meta_kubernetes_service_label_svc", "yes")
                .containsEntry("__meta_kubernetes_pod_name", "web-1")
                .containsEntry("__meta_kubernetes_pod_container_port_number", "8080")
                .containsEntry("__meta_kubernetes_namespace", "shop");
        // The pod's other container port becomes its own target.
        assertThat(targets().get("10.0.0.5:9090/web")).containsEntry("__meta_kubernetes_pod_container_port_name", "metrics")
                .doesNotContainKey("__meta_kubernetes_endpointslice_port");

        // A service label change reaches the slice's targets.
        client.services().inNamespace("shop").withName("web").edit(s -> new ServiceBuilder(s).editMetadata()
                .addToLabels("svc", "changed").endMetadata().build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "changed".equals(
                targets().getOrDefault("10.0.0.5:8080/web", Map.of()).get("__meta_kubernetes_service_label_svc")));

        client.discovery().v1().endpointSlices().inNamespace("shop").withName("web-abc").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().isEmpty());
    }

    @Test
    void nodeRoleUsesInternalIpAndKubeletPort() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels("zone", "a").endMetadata()
                .withNewSpec().withProviderID("aws:///i-1").endSpec()
                .withNewStatus().addNewAddress().withType("Hostname").withAddress("node-1.local").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("192.168.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint().endDaemonEndpoints()
                .endStatus().build()).create();
        run("node", List.of(), List.of(), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().size() == 1);
        assertThat(targets().get("192.168.0.1:10250")).isEqualTo(new TreeMap<>(Map.of(
                "instance", "node-1",
                "__meta_kubernetes_node_name", "node-1",
                "__meta_kubernetes_node_label_zone", "a",
                "__meta_kubernetes_node_labelpresent_zone", "true",
                "__meta_kubernetes_node_provider_id", "aws:///i-1",
                "__meta_kubernetes_node_address_Hostname", "node-1.local",
                "__meta_kubernetes_node_address_InternalIP", "192.168.0.1")));
        client.nodes().withName("node-1").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().isEmpty());
    }

    @Test
    void podRoleAttachesNodeMetadataAndUpdatesWhenTheNodeChanges() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").addToLabels("zone", "a").endMetadata()
                .build()).create();
        client.pods().inNamespace("shop").resource(pod("shop", "web-1", "10.0.0.5", "web")).create();
        run("pod", List.of("shop"), List.of(), true);
        await().atMost(Duration.ofSeconds(30)).until(() -> "a".equals(
                targets().getOrDefault("10.0.0.5:9090/web", Map.of()).get("__meta_kubernetes_node_label_zone")));
        client.nodes().withName("node-1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("zone", "b").endMetadata().build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "b".equals(
                targets().getOrDefault("10.0.0.5:9090/web", Map.of()).get("__meta_kubernetes_node_label_zone")));
    }

    @Test
    void ingressRoleOneTargetPerRulePath() {
        client.network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder().withNewMetadata()
                .withNamespace("shop").withName("site").endMetadata()
                .withNewSpec().withIngressClassName("nginx")
                .addNewTl().withHosts("secure.example.com").endTl()
                .addNewRule().withHost("secure.example.com").withNewHttp().addNewPath().withPath("/api").withPathType("Prefix")
                .withNewBackend().withNewService().withName("api").withNewPort().withNumber(80).endPort().endService().endBackend()
                .endPath().endHttp().endRule()
                .addNewRule().withHost("plain.example.com").endRule()
                .endSpec().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build()).create();
        run("ingress", List.of(), List.of(), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> targets().size() == 2);
        assertThat(targets().get("secure.example.com")).containsEntry("__meta_kubernetes_ingress_scheme", "https")
                .containsEntry("__meta_kubernetes_ingress_path", "/api")
                .containsEntry("__meta_kubernetes_ingress_host", "secure.example.com")
                .containsEntry("__meta_kubernetes_ingress_class_name", "nginx")
                .containsEntry("__meta_kubernetes_ingress_name", "site");
        assertThat(targets().get("plain.example.com")).containsEntry("__meta_kubernetes_ingress_scheme", "http")
                .containsEntry("__meta_kubernetes_ingress_path", "/");
    }
}
