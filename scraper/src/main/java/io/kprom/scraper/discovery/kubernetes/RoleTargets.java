package io.kprom.scraper.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Prometheus's Kubernetes target groups per role: one {@link Group} per object (source
 * {@code pod/ns/name}, {@code svc/ns/name}, {@code endpoints/ns/name}, {@code endpointslice/ns/name},
 * {@code node/name}, {@code ingress/ns/name}) with group-level labels and per-target labels, exactly the
 * {@code __meta_kubernetes_*} labels Prometheus produces. Stateless.
 */
final class RoleTargets {
    static final String P = MetaLabels.PREFIX;

    /** A group: shared labels plus targets, each a label set with {@code __address__}. */
    record Group(String source, Map<String, String> labels, List<Map<String, String>> targets) {
    }

    /** What the caller wants attached. */
    record Options(boolean nodeMetadata, boolean namespaceMetadata) {
    }

    private RoleTargets() {
    }

    private static void namespaceMetadata(Map<String, String> labels, Lookup lookup, String namespace, Options options) {
        if (!options.namespaceMetadata() || namespace == null) {
            return;
        }
        Namespace ns = lookup.namespace(namespace);
        if (ns != null) {
            MetaLabels.labelsAndAnnotations(labels, ns.getMetadata(), "namespace");
        }
    }

    private static void nodeMetadata(Map<String, String> labels, Lookup lookup, String nodeName, Options options) {
        if (!options.nodeMetadata() || nodeName == null || nodeName.isEmpty()) {
            return;
        }
        Node node = lookup.node(nodeName);
        if (node != null) {
            MetaLabels.objectMeta(labels, node.getMetadata(), "node");
        }
    }

    static Group pod(Pod pod, Lookup lookup, Options options) {
        String source = "pod/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isEmpty()) {
            return new Group(source, Map.of(), List.of());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        MetaLabels.pod(labels, pod);
        labels.put(MetaLabels.NAMESPACE, pod.getMetadata().getNamespace());
        nodeMetadata(labels, lookup, pod.getSpec().getNodeName(), options);
        namespaceMetadata(labels, lookup, pod.getMetadata().getNamespace(), options);
        List<Map<String, String>> targets = new ArrayList<>();
        List<Container> containers = containers(pod);
        int regular = pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size();
        for (int i = 0; i < containers.size(); i++) {
            Container container = containers.get(i);
            boolean init = i >= regular;
            String id = MetaLabels.containerId(init ? pod.getStatus().getInitContainerStatuses()
                    : pod.getStatus().getContainerStatuses(), container.getName());
            if (container.getPorts() == null || container.getPorts().isEmpty()) {
                Map<String, String> target = new LinkedHashMap<>();
                target.put("__address__", ip);
                MetaLabels.container(target, container.getName(), container.getImage(), id, init, null);
                targets.add(target);
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                Map<String, String> target = new LinkedHashMap<>();
                target.put("__address__", MetaLabels.joinHostPort(ip, port.getContainerPort()));
                MetaLabels.container(target, container.getName(), container.getImage(), id, init, port);
                targets.add(target);
            }
        }
        return new Group(source, labels, targets);
    }

    private static List<Container> containers(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        return all;
    }

    static Group service(Service service, Lookup lookup, Options options) {
        String source = "svc/" + service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        MetaLabels.service(labels, service);
        namespaceMetadata(labels, lookup, service.getMetadata().getNamespace(), options);
        List<Map<String, String>> targets = new ArrayList<>();
        if (service.getSpec() != null && service.getSpec().getPorts() != null) {
            for (ServicePort port : service.getSpec().getPorts()) {
                Map<String, String> target = new LinkedHashMap<>();
                target.put("__address__", MetaLabels.joinHostPort(service.getMetadata().getName() + "."
                        + service.getMetadata().getNamespace() + ".svc", port.getPort()));
                MetaLabels.servicePort(target, service, port);
                targets.add(target);
            }
        }
        return new Group(source, labels, targets);
    }

    static Group node(Node node, Lookup lookup, Options options) {
        String source = "node/" + node.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        MetaLabels.objectMeta(labels, node.getMetadata(), "node");
        List<Map<String, String>> targets = new ArrayList<>();
        Map<String, String> firstByType = new LinkedHashMap<>();
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        for (NodeAddress address : addresses) {
            firstByType.putIfAbsent(address.getType(), address.getAddress());
        }
        String address = null;
        for (String type : List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname")) {
            if (firstByType.containsKey(type)) {
                address = firstByType.get(type);
                break;
            }
        }
        if (address == null) {
            return new Group(source, labels, targets);
        }
        int port = 0;
        if (node.getStatus().getDaemonEndpoints() != null && node.getStatus().getDaemonEndpoints().getKubeletEndpoint() != null
                && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() != null) {
            port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
        }
        Map<String, String> target = new LinkedHashMap<>();
        target.put("__address__", MetaLabels.joinHostPort(address, port));
        target.put("instance", node.getMetadata().getName());
        target.put(P + "node_provider_id", MetaLabels.nullToEmpty(node.getSpec() == null ? null : node.getSpec().getProviderID()));
        firstByType.forEach((type, value) -> target.put(MetaLabels.sanitize(P + "node_address_" + type), value));
        targets.add(target);
        return new Group(source, labels, targets);
    }

    static Group ingress(Ingress ingress, Lookup lookup, Options options) {
        String namespace = ingress.getMetadata().getNamespace();
        String source = "ingress/" + namespace + "/" + ingress.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MetaLabels.NAMESPACE, namespace);
        MetaLabels.objectMeta(labels, ingress.getMetadata(), "ingress");
        String className = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (className == null && ingress.getMetadata().getAnnotations() != null) {
            className = ingress.getMetadata().getAnnotations().get("kubernetes.io/ingress.class");
        }
        if (className != null) {
            labels.put(P + "ingress_class_name", className);
        }
        namespaceMetadata(labels, lookup, namespace, options);
        List<String> tlsHosts = new ArrayList<>();
        if (ingress.getSpec() != null && ingress.getSpec().getTls() != null) {
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                if (tls.getHosts() != null) {
                    tlsHosts.addAll(tls.getHosts());
                }
            }
        }
        List<Map<String, String>> targets = new ArrayList<>();
        if (ingress.getSpec() != null && ingress.getSpec().getRules() != null) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                String host = MetaLabels.nullToEmpty(rule.getHost());
                String scheme = matchesTls(tlsHosts, host) ? "https" : "http";
                List<String> paths = new ArrayList<>();
                if (rule.getHttp() != null && rule.getHttp().getPaths() != null) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        paths.add(path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath());
                    }
                }
                if (paths.isEmpty()) {
                    paths.add("/");
                }
                for (String path : paths) {
                    Map<String, String> target = new LinkedHashMap<>();
                    target.put("__address__", host);
                    target.put(P + "ingress_scheme", scheme);
                    target.put(P + "ingress_host", host);
                    target.put(P + "ingress_path", path);
                    targets.add(target);
                }
            }
        }
        return new Group(source, labels, targets);
    }

    private static boolean matchesTls(List<String> tlsHosts, String host) {
        for (String tlsHost : tlsHosts) {
            if (tlsHost.equals(host)) {
                return true;
            }
            if (tlsHost.startsWith("*.") && host.contains(".") && host.substring(host.indexOf('.')).equals(tlsHost.substring(1))) {
                return true;
            }
        }
        return false;
    }

    static Group endpointSlice(EndpointSlice slice, Lookup lookup, Options options) {
        String namespace = slice.getMetadata().getNamespace();
        String source = "endpointslice/" + namespace + "/" + slice.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MetaLabels.NAMESPACE, namespace);
        labels.put(P + "endpointslice_address_type", MetaLabels.nullToEmpty(slice.getAddressType()));
        MetaLabels.objectMeta(labels, slice.getMetadata(), "endpointslice");
        String serviceName = slice.getMetadata().getLabels() == null ? null
                : slice.getMetadata().getLabels().get("kubernetes.io/service-name");
        if (serviceName != null) {
            Service service = lookup.service(namespace, serviceName);
            if (service != null) {
                MetaLabels.service(labels, service);
            }
        }
        namespaceMetadata(labels, lookup, namespace, options);
        List<Map<String, String>> targets = new ArrayList<>();
        Map<String, PodEntry> seenPods = new LinkedHashMap<>();
        List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports =
                slice.getPorts() == null ? List.of() : slice.getPorts();
        for (Endpoint endpoint : endpoints) {
            for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port : ports) {
                for (String address : endpoint.getAddresses() == null ? List.<String>of() : endpoint.getAddresses()) {
                    Map<String, String> target = new LinkedHashMap<>();
                    target.put("__address__", port.getPort() == null ? address : MetaLabels.joinHostPort(address, port.getPort()));
                    if (port.getName() != null) {
                        target.put(P + "endpointslice_port_name", port.getName());
                    }
                    if (port.getProtocol() != null) {
                        target.put(P + "endpointslice_port_protocol", port.getProtocol());
                    }
                    if (port.getPort() != null) {
                        target.put(P + "endpointslice_port", String.valueOf(port.getPort()));
                    }
                    if (port.getAppProtocol() != null) {
                        target.put(P + "endpointslice_port_app_protocol", port.getAppProtocol());
                    }
                    if (endpoint.getConditions() != null) {
                        if (endpoint.getConditions().getReady() != null) {
                            target.put(P + "endpointslice_endpoint_conditions_ready", endpoint.getConditions().getReady().toString());
                        }
                        if (endpoint.getConditions().getServing() != null) {
                            target.put(P + "endpointslice_endpoint_conditions_serving", endpoint.getConditions().getServing().toString());
                        }
                        if (endpoint.getConditions().getTerminating() != null) {
                            target.put(P + "endpointslice_endpoint_conditions_terminating",
                                    endpoint.getConditions().getTerminating().toString());
                        }
                    }
                    if (endpoint.getHostname() != null) {
                        target.put(P + "endpointslice_endpoint_hostname", endpoint.getHostname());
                    }
                    ObjectReference ref = endpoint.getTargetRef();
                    if (ref != null) {
                        target.put(P + "endpointslice_address_target_kind", MetaLabels.nullToEmpty(ref.getKind()));
                        target.put(P + "endpointslice_address_target_name", MetaLabels.nullToEmpty(ref.getName()));
                    }
                    if (endpoint.getNodeName() != null) {
                        target.put(P + "endpointslice_endpoint_node_name", endpoint.getNodeName());
                    }
                    if (endpoint.getZone() != null) {
                        target.put(P + "endpointslice_endpoint_zone", endpoint.getZone());
                    }
                    if (endpoint.getDeprecatedTopology() != null) {
                        endpoint.getDeprecatedTopology().forEach((key, value) -> {
                            target.put(P + "endpointslice_endpoint_topology_" + MetaLabels.sanitize(key), value);
                            target.put(P + "endpointslice_endpoint_topology_present_" + MetaLabels.sanitize(key), "true");
                        });
                    }
                    if (ref != null && "Node".equals(ref.getKind())) {
                        nodeMetadata(target, lookup, ref.getName(), options);
                    } else {
                        nodeMetadata(target, lookup, endpoint.getNodeName(), options);
                    }
                    addPodTarget(targets, target, ref, lookup, seenPods, port.getPort());
                }
            }
        }
        addUncoveredPodPorts(targets, seenPods);
        return new Group(source, labels, targets);
    }

    static Group endpoints(Endpoints endpoints, Lookup lookup, Options options) {
        String namespace = endpoints.getMetadata().getNamespace();
        String source = "endpoints/" + namespace + "/" + endpoints.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MetaLabels.NAMESPACE, namespace);
        MetaLabels.objectMeta(labels, endpoints.getMetadata(), "endpoints");
        Service service = lookup.service(namespace, endpoints.getMetadata().getName());
        if (service != null) {
            MetaLabels.service(labels, service);
        }
        namespaceMetadata(labels, lookup, namespace, options);
        List<Map<String, String>> targets = new ArrayList<>();
        Map<String, PodEntry> seenPods = new LinkedHashMap<>();
        for (EndpointSubset subset : endpoints.getSubsets() == null ? List.<EndpointSubset>of() : endpoints.getSubsets()) {
            List<EndpointPort> ports = subset.getPorts() == null ? List.of() : subset.getPorts();
            for (EndpointPort port : ports) {
                addEndpointAddresses(targets, subset.getAddresses(), port, true, lookup, options, seenPods);
                addEndpointAddresses(targets, subset.getNotReadyAddresses(), port, false, lookup, options, seenPods);
            }
        }
        addUncoveredPodPorts(targets, seenPods);
        return new Group(source, labels, targets);
    }

    private static void addEndpointAddresses(List<Map<String, String>> targets, List<EndpointAddress> addresses,
            EndpointPort port, boolean ready, Lookup lookup, Options options, Map<String, PodEntry> seenPods) {
        if (addresses == null) {
            return;
        }
        for (EndpointAddress address : addresses) {
            Map<String, String> target = new LinkedHashMap<>();
            target.put("__address__", MetaLabels.joinHostPort(address.getIp(), port.getPort() == null ? 0 : port.getPort()));
            target.put(P + "endpoint_port_name", MetaLabels.nullToEmpty(port.getName()));
            target.put(P + "endpoint_port_protocol", MetaLabels.nullToEmpty(port.getProtocol()));
            target.put(P + "endpoint_ready", Boolean.toString(ready));
            ObjectReference ref = address.getTargetRef();
            if (ref != null) {
                target.put(P + "endpoint_address_target_kind", MetaLabels.nullToEmpty(ref.getKind()));
                target.put(P + "endpoint_address_target_name", MetaLabels.nullToEmpty(ref.getName()));
            }
            if (address.getNodeName() != null) {
                target.put(P + "endpoint_node_name", address.getNodeName());
            }
            if (address.getHostname() != null) {
                target.put(P + "endpoint_hostname", address.getHostname());
            }
            if (ref != null && "Node".equals(ref.getKind())) {
                nodeMetadata(target, lookup, ref.getName(), options);
            } else {
                nodeMetadata(target, lookup, address.getNodeName(), options);
            }
            addPodTarget(targets, target, ref, lookup, seenPods, port.getPort());
        }
    }

    private record PodEntry(Pod pod, List<Integer> servicePorts) {
    }

    /** Adds the target, enriched with pod and matching container labels when it references a known pod. */
    private static void addPodTarget(List<Map<String, String>> targets, Map<String, String> target, ObjectReference ref,
            Lookup lookup, Map<String, PodEntry> seenPods, Integer port) {
        Pod pod = ref == null || !"Pod".equals(ref.getKind()) ? null : lookup.pod(ref.getNamespace(), ref.getName());
        if (pod == null) {
            targets.add(target);
            return;
        }
        PodEntry entry = seenPods.computeIfAbsent(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
                k -> new PodEntry(pod, new ArrayList<>()));
        Map<String, String> podLabels = new LinkedHashMap<>();
        MetaLabels.pod(podLabels, pod);
        podLabels.forEach(target::putIfAbsent);
        if (port != null) {
            List<Container> containers = containers(pod);
            int regular = pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size();
            outer:
            for (int i = 0; i < containers.size(); i++) {
                Container container = containers.get(i);
                for (ContainerPort containerPort : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                    if (port.equals(containerPort.getContainerPort())) {
                        MetaLabels.container(target, container.getName(), container.getImage(), null, i >= regular, containerPort);
                        break outer;
                    }
                }
            }
            entry.servicePorts().add(port);
        }
        targets.add(target);
    }

    /** Container ports of seen pods that no endpoint covered become targets of their own. */
    private static void addUncoveredPodPorts(List<Map<String, String>> targets, Map<String, PodEntry> seenPods) {
        for (PodEntry entry : seenPods.values()) {
            Pod pod = entry.pod();
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            List<Container> containers = containers(pod);
            int regular = pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size();
            for (int i = 0; i < containers.size(); i++) {
                Container container = containers.get(i);
                for (ContainerPort containerPort : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                    if (entry.servicePorts().contains(containerPort.getContainerPort())) {
                        continue;
                    }
                    Map<String, String> target = new LinkedHashMap<>();
                    target.put("__address__", MetaLabels.joinHostPort(ip, containerPort.getContainerPort()));
                    MetaLabels.container(target, container.getName(), container.getImage(), null, i >= regular, containerPort);
                    MetaLabels.pod(target, pod);
                    targets.add(target);
                }
            }
        }
    }
}
