package io.kprom.deploytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.kafka.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay and checks the security and availability policy every object must meet
 * (the seed's checklist): non-root, read-only root filesystem, dropped capabilities, requests,
 * limits, probes, pinned images, a PDB per StatefulSet and a NetworkPolicy per component.
 */
class ManifestPolicyTest {

    @BeforeAll
    static void requireKubectl() {
        assumeTrue(RenderedManifests.kubectlAvailable(),
                "kubectl is not installed: skipping kustomize rendering checks (install kubectl to run them)");
    }

    private static List<HasMetadata> render(String overlay) throws Exception {
        List<HasMetadata> objects = RenderedManifests.parse(RenderedManifests.render(overlay));
        assertThat(objects).as("objects rendered from %s", overlay).isNotEmpty();
        return objects;
    }

    private static Map<String, PodTemplateSpec> workloads(List<HasMetadata> objects) {
        Map<String, PodTemplateSpec> workloads = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment d) {
                workloads.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate());
            } else if (object instanceof StatefulSet s) {
                workloads.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate());
            }
        }
        return workloads;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod", "overlays/prod-with-registry"})
    void everyContainerIsHardenedWithResourcesAndProbes(String overlay) throws Exception {
        Map<String, PodTemplateSpec> workloads = workloads(render(overlay));
        assertThat(workloads).isNotEmpty();
        List<String> problems = new ArrayList<>();
        workloads.forEach((name, template) -> {
            PodSpec pod = template.getSpec();
            var podSecurity = pod.getSecurityContext();
            if (podSecurity == null || !Boolean.TRUE.equals(podSecurity.getRunAsNonRoot())
                    || !Long.valueOf(65534).equals(podSecurity.getRunAsUser())) {
                problems.add(name + ": pod must run as non-root UID 65534");
            }
            if (podSecurity == null || podSecurity.getSeccompProfile() == null
                    || !"RuntimeDefault".equals(podSecurity.getSeccompProfile().getType())) {
                problems.add(name + ": pod needs seccomp RuntimeDefault");
            }
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container c : containers) {
                String where = name + "/" + c.getName();
                var sc = c.getSecurityContext();
                if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    problems.add(where + ": readOnlyRootFilesystem must be true");
                }
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": allowPrivilegeEscalation must be false");
                }
                if (sc == null || sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + ": capabilities must drop ALL");
                }
                if (sc == null || !Boolean.TRUE.equals(sc.getRunAsNonRoot())) {
                    problems.add(where + ": runAsNonRoot must be true");
                }
                var resources = c.getResources();
                for (String kind : List.of("cpu", "memory")) {
                    if (resources == null || resources.getRequests() == null || !resources.getRequests().containsKey(kind)) {
                        problems.add(where + ": missing " + kind + " request");
                    }
                    if (resources == null || resources.getLimits() == null || !resources.getLimits().containsKey(kind)) {
                        problems.add(where + ": missing " + kind + " limit");
                    }
                }
                if (c.getLivenessProbe() == null || c.getReadinessProbe() == null) {
                    problems.add(where + ": needs liveness and readiness probes");
                }
                String image = c.getImage();
                String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1).contains(":")
                        ? image.substring(image.lastIndexOf(':') + 1) : "";
                if (tag.isEmpty() || tag.equals("latest")) {
                    problems.add(where + ": image " + image + " is not pinned to a version");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void kpromComponentsProbeHealthEndpoints(String overlay) throws Exception {
        workloads(render(overlay)).forEach((name, template) -> {
            if (name.contains("kprom-")) {
                Container c = template.getSpec().getContainers().get(0);
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(name).isEqualTo("/-/healthy");
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(name).isEqualTo("/-/ready");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void everyStatefulSetHasADisruptionBudget(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        List<PodDisruptionBudget> budgets = objects.stream().filter(PodDisruptionBudget.class::isInstance)
                .map(PodDisruptionBudget.class::cast).toList();
        for (HasMetadata object : objects) {
            if (object instanceof StatefulSet set) {
                Map<String, String> labels = set.getSpec().getTemplate().getMetadata().getLabels();
                assertThat(budgets).as("PDB selecting StatefulSet %s", set.getMetadata().getName())
                        .anyMatch(pdb -> labels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod", "overlays/prod-with-registry"})
    void networkPoliciesDenyByDefaultAndCoverEveryComponent(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        List<NetworkPolicy> policies = objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast).toList();
        assertThat(policies).as("a default-deny policy").anyMatch(p -> p.getSpec().getPodSelector().getMatchLabels() == null
                || p.getSpec().getPodSelector().getMatchLabels().isEmpty()
                && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                && p.getSpec().getIngress().isEmpty() && p.getSpec().getEgress().isEmpty());
        workloads(objects).forEach((name, template) -> {
            Map<String, String> labels = template.getMetadata().getLabels();
            assertThat(policies).as("NetworkPolicy selecting %s", name).anyMatch(p -> {
                Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
                return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
            });
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void eachComponentHasItsOwnServiceAccountAndLeastPrivilege(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        Set<String> accounts = objects.stream().filter(ServiceAccount.class::isInstance)
                .map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
        Map<String, PodTemplateSpec> workloads = workloads(objects);
        Set<String> used = workloads.values().stream().map(t -> t.getSpec().getServiceAccountName()).collect(Collectors.toSet());
        assertThat(used).hasSize(workloads.size()).allMatch(accounts::contains);
        ClusterRole scraper = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> r.getMetadata().getName().equals("kprom-scraper")).findFirst().orElseThrow();
        assertThat(scraper.getRules()).allSatisfy(rule -> assertThat(rule.getVerbs()).isSubsetOf("get", "list", "watch"));
        assertThat(scraper.getRules().stream().flatMap(r -> r.getResources().stream()).toList())
                .contains("pods", "services", "endpoints", "nodes", "nodes/metrics").contains("endpointslices", "ingresses");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void kafkaAndTopicsMatchTheCatalogue(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        List<GenericKubernetesResource> topics = objects.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast).filter(r -> r.getKind().equals("KafkaTopic")).toList();
        assertThat(topics).extracting(t -> (String) ((Map<?, ?>) t.getAdditionalProperties().get("spec")).get("topicName"))
                .containsExactlyInAnyOrder(Topics.METRICS_RAW, Topics.METRICS_SAMPLES, Topics.METRICS_METADATA,
                        Topics.SCRAPE_SHARDS, Topics.ALERTS);
        GenericKubernetesResource metadata = topics.stream()
                .filter(t -> t.getMetadata().getName().equals(Topics.METRICS_METADATA)).findFirst().orElseThrow();
        Map<?, ?> config = (Map<?, ?>) ((Map<?, ?>) metadata.getAdditionalProperties().get("spec")).get("config");
        assertThat(config.get("cleanup.policy")).isEqualTo("compact");
        assertThat(objects).anyMatch(o -> o.getKind().equals("Kafka")
                && "enabled".equals(o.getMetadata().getAnnotations().get("strimzi.io/kraft")));
        assertThat(objects).anyMatch(o -> o.getKind().equals("KafkaNodePool"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void generatedPrometheusConfigLoads(String overlay) throws Exception {
        ConfigMap config = render(overlay).stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().startsWith("kprom-config")).findFirst().orElseThrow();
        PrometheusConfig parsed = PrometheusConfig.parse(config.getData().get("prometheus.yml"), null);
        assertThat(parsed.scrapeConfigs()).extracting(s -> s.jobName()).contains("kprom", "kubernetes-pods", "node-exporter");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"overlays/prod"})
    void productionIsHighlyAvailable(String overlay) throws Exception {
        List<HasMetadata> objects = render(overlay);
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                replicas.put(d.getMetadata().getName(), d.getSpec().getReplicas());
            } else if (o instanceof StatefulSet s) {
                replicas.put(s.getMetadata().getName(), s.getSpec().getReplicas());
                if (s.getMetadata().getName().equals("kprom-sink")) {
                    assertThat(s.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(300L);
                    assertThat(s.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
                    assertThat(s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage")
                            .toString()).isEqualTo("100Gi");
                }
            }
        }
        assertThat(replicas).containsEntry("kprom-scraper", 2).containsEntry("kprom-processor", 2)
                .containsEntry("kprom-sink", 2).containsEntry("kprom-evaluator", 2).containsEntry("alertmanager", 3);
        assertThat(objects).anyMatch(o -> o.getKind().equals("HorizontalPodAutoscaler"));
    }
}
