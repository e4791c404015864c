package io.kprom.scraper.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code __meta_kubernetes_*} labels Prometheus attaches, shared by the roles. Label names derived
 * from Kubernetes label/annotation keys are sanitized (every character outside {@code [a-zA-Z0-9_]}
 * becomes {@code _}).
 */
final class MetaLabels {
    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";

    private MetaLabels() {
    }

    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }

    /** {@code <role>_name}, {@code <role>_label_*}, {@code <role>_labelpresent_*}, annotations likewise. */
    static void objectMeta(Map<String, String> out, ObjectMeta meta, String role) {
        out.put(PREFIX + role + "_name", nullToEmpty(meta.getName()));
        labelsAndAnnotations(out, meta, role);
    }

    static void labelsAndAnnotations(Map<String, String> out, ObjectMeta meta, String role) {
        if (meta.getLabels() != null) {
            meta.getLabels().forEach((key, value) -> {
                String name = sanitize(key);
                out.put(PREFIX + role + "_label_" + name, nullToEmpty(value));
                out.put(PREFIX + role + "_labelpresent_" + name, "true");
            });
        }
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().forEach((key, value) -> {
                String name = sanitize(key);
                out.put(PREFIX + role + "_annotation_" + name, nullToEmpty(value));
                out.put(PREFIX + role + "_annotationpresent_" + name, "true");
            });
        }
    }

    /** The pod-level labels (no namespace, no container). */
    static void pod(Map<String, String> out, Pod pod) {
        out.put(PREFIX + "pod_ip", nullToEmpty(pod.getStatus() == null ? null : pod.getStatus().getPodIP()));
        out.put(PREFIX + "pod_ready", podReady(pod));
        out.put(PREFIX + "pod_phase", nullToEmpty(pod.getStatus() == null ? null : pod.getStatus().getPhase()));
        out.put(PREFIX + "pod_node_name", nullToEmpty(pod.getSpec() == null ? null : pod.getSpec().getNodeName()));
        out.put(PREFIX + "pod_host_ip", nullToEmpty(pod.getStatus() == null ? null : pod.getStatus().getHostIP()));
        out.put(PREFIX + "pod_uid", nullToEmpty(pod.getMetadata().getUid()));
        objectMeta(out, pod.getMetadata(), "pod");
        OwnerReference controller = controllerOf(pod.getMetadata());
        if (controller != null) {
            if (controller.getKind() != null && !controller.getKind().isEmpty()) {
                out.put(PREFIX + "pod_controller_kind", controller.getKind());
            }
            if (controller.getName() != null && !controller.getName().isEmpty()) {
                out.put(PREFIX + "pod_controller_name", controller.getName());
            }
        }
    }

    /** The container/port labels of a pod target. */
    static void container(Map<String, String> out, String containerName, String image, String containerId,
            boolean init, ContainerPort port) {
        out.put(PREFIX + "pod_container_name", nullToEmpty(containerName));
        out.put(PREFIX + "pod_container_image", nullToEmpty(image));
        if (containerId != null) {
            out.put(PREFIX + "pod_container_id", containerId);
        }
        out.put(PREFIX + "pod_container_init", Boolean.toString(init));
        if (port != null) {
            out.put(PREFIX + "pod_container_port_name", nullToEmpty(port.getName()));
            out.put(PREFIX + "pod_container_port_number", String.valueOf(port.getContainerPort()));
            out.put(PREFIX + "pod_container_port_protocol", nullToEmpty(port.getProtocol()));
        }
    }

    static String containerId(List<ContainerStatus> statuses, String name) {
        if (statuses != null) {
            for (ContainerStatus status : statuses) {
                if (name.equals(status.getName())) {
                    return nullToEmpty(status.getContainerID());
                }
            }
        }
        return "";
    }

    static String podReady(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition condition : pod.getStatus().getConditions()) {
                if ("Ready".equals(condition.getType())) {
                    return nullToEmpty(condition.getStatus()).toLowerCase(Locale.ROOT);
                }
            }
        }
        return "unknown";
    }

    static OwnerReference controllerOf(ObjectMeta meta) {
        if (meta.getOwnerReferences() != null) {
            for (OwnerReference reference : meta.getOwnerReferences()) {
                if (Boolean.TRUE.equals(reference.getController())) {
                    return reference;
                }
            }
        }
        return null;
    }

    /** Service-level labels: namespace and the service's object metadata. */
    static void service(Map<String, String> out, Service service) {
        out.put(NAMESPACE, nullToEmpty(service.getMetadata().getNamespace()));
        objectMeta(out, service.getMetadata(), "service");
    }

    /** The per-port labels of a service target. */
    static void servicePort(Map<String, String> out, Service service, ServicePort port) {
        out.put(PREFIX + "service_port_name", nullToEmpty(port.getName()));
        out.put(PREFIX + "service_port_number", String.valueOf(port.getPort()));
        out.put(PREFIX + "service_port_protocol", nullToEmpty(port.getProtocol()));
        String type = service.getSpec() == null ? null : service.getSpec().getType();
        out.put(PREFIX + "service_type", nullToEmpty(type));
        if ("ExternalName".equals(type)) {
            out.put(PREFIX + "service_external_name", nullToEmpty(service.getSpec().getExternalName()));
        } else {
            out.put(PREFIX + "service_cluster_ip", nullToEmpty(service.getSpec() == null ? null : service.getSpec().getClusterIP()));
        }
    }

    /** host:port, with brackets for IPv6 hosts (Go's net.JoinHostPort). */
    static String joinHostPort(String host, long port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
