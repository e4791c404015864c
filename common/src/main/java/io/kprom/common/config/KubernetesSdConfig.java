package io.kprom.common.config;

import java.util.List;
import java.util.Set;

/** {@code kubernetes_sd_configs}, as Prometheus defines it. */
public record KubernetesSdConfig(String role, String apiServer, String kubeconfigFile, HttpClientConfig httpClientConfig,
        boolean ownNamespace, List<String> namespaces, List<Selector> selectors, boolean attachNodeMetadata,
        boolean attachNamespaceMetadata) {

    private static final Set<String> ROLES = Set.of("pod", "service", "endpoints", "endpointslice", "node", "ingress");

    /** A label/field selector for one role. */
    public record Selector(String role, String label, String field) {
    }

    static KubernetesSdConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        YamlNode roleNode = node.get("role");
        if (roleNode == null) {
            throw node.error("role missing (one of pod, service, endpoints, endpointslice, node, ingress)");
        }
        String role = roleNode.scalar();
        if (!ROLES.contains(role)) {
            throw roleNode.error("unknown Kubernetes SD role \"" + role + "\"");
        }
        String apiServer = node.string("api_server", null);
        String kubeconfig = paths.resolve(node.string("kubeconfig_file", null));
        boolean own = false;
        List<String> names = List.of();
        YamlNode ns = node.get("namespaces");
        if (ns != null) {
            own = ns.bool("own_namespace", false);
            names = ns.stringList("names");
            ns.rejectUnknownFields();
        }
        List<Selector> selectors = node.bindList("selectors", s -> {
            Selector selector = new Selector(s.string("role", ""), s.string("label", null), s.string("field", null));
            s.rejectUnknownFields();
            if (!ROLES.contains(selector.role())) {
                throw s.error("invalid selector role \"" + selector.role() + "\"");
            }
            return selector;
        });
        boolean attachNode = false;
        boolean attachNamespace = false;
        YamlNode attach = node.get("attach_metadata");
        if (attach != null) {
            attachNode = attach.bool("node", false);
            attachNamespace = attach.bool("namespace", false);
            attach.rejectUnknownFields();
        }
        HttpClientConfig http = HttpClientConfig.fromYaml(node, paths);
        node.rejectUnknownFields();
        if (apiServer != null && kubeconfig != null) {
            throw node.error("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        return new KubernetesSdConfig(role, apiServer, kubeconfig, http, own, names, selectors, attachNode, attachNamespace);
    }
}
