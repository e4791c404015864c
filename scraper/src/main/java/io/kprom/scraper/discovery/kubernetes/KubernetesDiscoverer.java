package io.kprom.scraper.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Filterable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kprom.common.config.KubernetesSdConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.kprom.scraper.discovery.Discoverer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kubernetes_sd_configs} with fabric8 informers: one informer per watched resource and namespace
 * (the role's own resource, plus pods/services for endpoints and endpointslice, nodes with
 * {@code attach_metadata.node}, namespaces with {@code attach_metadata.namespace}). Events mark objects
 * dirty; the run thread rebuilds their groups from the informer caches (see {@link RoleTargets}) and
 * sends them. Each Kubernetes group becomes one {@link TargetGroup} per target (source
 * {@code <group source>#<index>}, labels = group labels + target labels, the single target = its
 * {@code __address__}); a group that shrinks or vanishes sends the missing indexes empty.
 */
public final class KubernetesDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscoverer.class);
    private static final String SERVICE_ACCOUNT_NAMESPACE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private final KubernetesSdConfig config;
    private final KubernetesClient providedClient;
    private final LinkedBlockingQueue<String> dirty = new LinkedBlockingQueue<>();
    private final Map<String, Integer> sentCounts = new HashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Map<Class<?>, List<SharedIndexInformer<? extends HasMetadata>>> byType = new HashMap<>();

    public KubernetesDiscoverer(KubernetesSdConfig config) {
        this(config, null);
    }

    /** With a ready client (tests, or callers that share one); the discoverer does not close it. */
    public KubernetesDiscoverer(KubernetesSdConfig config, KubernetesClient client) {
        this.config = config;
        this.providedClient = client;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        KubernetesClient client = providedClient != null ? providedClient : createClient(config);
        try {
            startInformers(client);
            List<TargetGroup> initial = new ArrayList<>();
            for (HasMetadata object : primaryObjects()) {
                initial.addAll(expand(build(object)));
            }
            dirty.clear();
            sink.accept(initial);
            while (true) {
                String first = dirty.poll(1, TimeUnit.SECONDS);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (first == null) {
                    continue;
                }
                Set<String> keys = new LinkedHashSet<>();
                keys.add(first);
                dirty.drainTo(keys);
                List<TargetGroup> update = new ArrayList<>();
                for (String key : keys) {
                    update.addAll(rebuild(key));
                }
                if (!update.isEmpty()) {
                    sink.accept(update);
                }
            }
        } finally {
            for (SharedIndexInformer<?> informer : informers) {
                informer.stop();
            }
            informers.clear();
            if (providedClient == null) {
                client.close();
            }
        }
    }

    static KubernetesClient createClient(KubernetesSdConfig config) {
        Config base;
        if (config.kubeconfigFile() != null) {
            try {
                base = Config.fromKubeconfig(Files.readString(Path.of(config.kubeconfigFile()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read kubeconfig_file " + config.kubeconfigFile() + ": " + e.getMessage(), e);
            }
        } else {
            base = Config.autoConfigure(null);
        }
        ConfigBuilder builder = new ConfigBuilder(base);
        if (config.apiServer() != null) {
            builder.withMasterUrl(config.apiServer());
        }
        var http = config.httpClientConfig();
        if (http != null) {
            if (http.tlsConfig() != null) {
                if (http.tlsConfig().insecureSkipVerify()) {
                    builder.withTrustCerts(true);
                }
                if (http.tlsConfig().caFile() != null) {
                    builder.withCaCertFile(http.tlsConfig().caFile());
                }
                if (http.tlsConfig().certFile() != null) {
                    builder.withClientCertFile(http.tlsConfig().certFile()).withClientKeyFile(http.tlsConfig().keyFile());
                }
            }
            if (http.authorization() != null) {
                String token = http.authorization().credentials();
                if (http.authorization().credentialsFile() != null) {
                    try {
                        token = Files.readString(Path.of(http.authorization().credentialsFile())).strip();
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot read credentials_file: " + e.getMessage(), e);
                    }
                }
                builder.withOauthToken(token);
            }
            if (http.basicAuth() != null) {
                builder.withUsername(http.basicAuth().username()).withPassword(http.basicAuth().password());
            }
        }
        return new KubernetesClientBuilder().withConfig(builder.build()).build();
    }

    private List<String> namespaces(KubernetesClient client) {
        List<String> names = new ArrayList<>(config.namespaces());
        if (config.ownNamespace()) {
            String own = client.getNamespace();
            try {
                Path file = Path.of(SERVICE_ACCOUNT_NAMESPACE);
                if (Files.exists(file)) {
                    own = Files.readString(file).strip();
                }
            } catch (IOException e) {
                LOG.warn("cannot read own namespace: {}", e.getMessage());
            }
            if (own != null && !names.contains(own)) {
                names.add(own);
            }
        }
        return names;
    }

    private void startInformers(KubernetesClient client) throws InterruptedException {
        List<String> namespaces = namespaces(client);
        String role = config.role();
        switch (role) {
            case "pod" -> watch(Pod.class, "pod", namespaces, ns -> client.pods().inNamespace(ns),
                    client.pods().inAnyNamespace(), true);
            case "service" -> watch(Service.class, "service", namespaces, ns -> client.services().inNamespace(ns),
                    client.services().inAnyNamespace(), true);
            case "endpoints" -> {
                watch(Endpoints.class, "endpoints", namespaces, ns -> client.endpoints().inNamespace(ns),
                        client.endpoints().inAnyNamespace(), true);
                watch(Service.class, "service", namespaces, ns -> client.services().inNamespace(ns),
                        client.services().inAnyNamespace(), false);
                watch(Pod.class, "pod", namespaces, ns -> client.pods().inNamespace(ns), client.pods().inAnyNamespace(), false);
            }
            case "endpointslice" -> {
                watch(EndpointSlice.class, "endpointslice", namespaces,
                        ns -> client.discovery().v1().endpointSlices().inNamespace(ns),
                        client.discovery().v1().endpointSlices().inAnyNamespace(), true);
                watch(Service.class, "service", namespaces, ns -> client.services().inNamespace(ns),
                        client.services().inAnyNamespace(), false);
                watch(Pod.class, "pod", namespaces, ns -> client.pods().inNamespace(ns), client.pods().inAnyNamespace(), false);
            }
            case "node" -> watchCluster(Node.class, "node", client.nodes(), true);
            case "ingress" -> watch(Ingress.class, "ingress", namespaces,
                    ns -> client.network().v1().ingresses().inNamespace(ns),
                    client.network().v1().ingresses().inAnyNamespace(), true);
            default -> throw new IllegalArgumentException("unknown Kubernetes SD role " + role);
        }
        if (config.attachNodeMetadata() && !role.equals("node")
                && (role.equals("pod") || role.equals("endpoints") || role.equals("endpointslice"))) {
            watchCluster(Node.class, "node", client.nodes(), false);
        }
        if (config.attachNamespaceMetadata() && !role.equals("node")) {
            watchCluster(Namespace.class, "namespace", client.namespaces(), false);
        }
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kubernetes informer did not sync: " + e.getMessage(), e);
            }
        }
    }

    private String selectorFor(String role, boolean label) {
        for (KubernetesSdConfig.Selector selector : config.selectors()) {
            if (selector.role().equals(role)) {
                return label ? selector.label() : selector.field();
            }
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T extends HasMetadata> void watch(Class<T> type, String role, List<String> namespaces,
            Function<String, ?> inNamespace, Object anyNamespace, boolean primary) {
        if (namespaces.isEmpty()) {
            register(type, role, anyNamespace, primary);
        } else {
            for (String ns : namespaces) {
                register(type, role, inNamespace.apply(ns), primary);
            }
        }
    }

    private <T extends HasMetadata> void watchCluster(Class<T> type, String role, Object operation, boolean primary) {
        register(type, role, operation, primary);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T extends HasMetadata> void register(Class<T> type, String role, Object operation, boolean primary) {
        Object filtered = operation;
        String label = selectorFor(role, true);
        String field = selectorFor(role, false);
        if (label != null && !label.isEmpty()) {
            filtered = ((Filterable) filtered).withLabelSelector(label);
        }
        if (field != null && !field.isEmpty()) {
            for (String term : field.split(",")) {
                int neq = term.indexOf("!=");
                if (neq > 0) {
                    filtered = ((Filterable) filtered).withoutField(term.substring(0, neq).trim(), term.substring(neq + 2).trim());
                } else {
                    String[] kv = term.split("==?", 2);
                    filtered = ((Filterable) filtered).withField(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
                }
            }
        }
        SharedIndexInformer<T> informer = ((Informable<T>) filtered).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T object) {
                changed(type, object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                changed(type, newObject);
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
                changed(type, object);
            }
        });
        informers.add(informer);
        byType.computeIfAbsent(type, k -> new ArrayList<>()).add((SharedIndexInformer) informer);
        if (primary) {
            primaryType = type;
        }
    }

    private Class<?> primaryType;

    private static String key(HasMetadata object) {
        String ns = object.getMetadata().getNamespace();
        return ns == null ? object.getMetadata().getName() : ns + "/" + object.getMetadata().getName();
    }

    /** Marks the objects of the role that depend on the changed object as dirty. */
    private void changed(Class<?> type, HasMetadata object) {
        if (type == primaryType) {
            dirty.add(key(object));
            return;
        }
        String ns = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        for (HasMetadata primary : primaryObjects()) {
            String pns = primary.getMetadata().getNamespace();
            boolean affected;
            if (type == Namespace.class) {
                affected = name.equals(pns);
            } else if (type == Node.class) {
                affected = dependsOnNode(primary, name);
            } else if (type == Service.class) {
                affected = name != null && ns != null && ns.equals(pns) && (primary instanceof EndpointSlice slice
                        ? slice.getMetadata().getLabels() != null
                                && name.equals(slice.getMetadata().getLabels().get("kubernetes.io/service-name"))
                        : name.equals(primary.getMetadata().getName()));
            } else {
                affected = ns != null && ns.equals(pns) && referencesPod(primary, name);
            }
            if (affected) {
                dirty.add(key(primary));
            }
        }
    }

    private static boolean dependsOnNode(HasMetadata primary, String node) {
        if (primary instanceof Pod pod) {
            return pod.getSpec() != null && node.equals(pod.getSpec().getNodeName());
        }
        if (primary instanceof EndpointSlice slice && slice.getEndpoints() != null) {
            return slice.getEndpoints().stream().anyMatch(e -> node.equals(e.getNodeName())
                    || e.getTargetRef() != null && "Node".equals(e.getTargetRef().getKind()) && node.equals(e.getTargetRef().getName()));
        }
        if (primary instanceof Endpoints endpoints && endpoints.getSubsets() != null) {
            return endpoints.getSubsets().stream().anyMatch(s -> s.getAddresses() != null
                    && s.getAddresses().stream().anyMatch(a -> node.equals(a.getNodeName())));
        }
        return false;
    }

    private static boolean referencesPod(HasMetadata primary, String pod) {
        if (primary instanceof EndpointSlice slice && slice.getEndpoints() != null) {
            return slice.getEndpoints().stream().anyMatch(e -> e.getTargetRef() != null
                    && "Pod".equals(e.getTargetRef().getKind()) && pod.equals(e.getTargetRef().getName()));
        }
        if (primary instanceof Endpoints endpoints && endpoints.getSubsets() != null) {
            return endpoints.getSubsets().stream().anyMatch(s -> Stream2.addresses(s).stream().anyMatch(a ->
                    a.getTargetRef() != null && "Pod".equals(a.getTargetRef().getKind()) && pod.equals(a.getTargetRef().getName())));
        }
        return false;
    }

    private List<HasMetadata> primaryObjects() {
        List<HasMetadata> out = new ArrayList<>();
        for (SharedIndexInformer<? extends HasMetadata> informer : byType.getOrDefault(primaryType, List.of())) {
            out.addAll(informer.getStore().list());
        }
        return out;
    }

    private <T extends HasMetadata> T find(Class<T> type, String namespace, String name) {
        String key = namespace == null ? name : namespace + "/" + name;
        for (SharedIndexInformer<? extends HasMetadata> informer : byType.getOrDefault(type, List.of())) {
            HasMetadata object = informer.getStore().getByKey(key);
            if (object != null) {
                return type.cast(object);
            }
        }
        return null;
    }

    private final Lookup lookup = new Lookup() {
        @Override
        public Pod pod(String namespace, String name) {
            return find(Pod.class, namespace, name);
        }

        @Override
        public Service service(String namespace, String name) {
            return find(Service.class, namespace, name);
        }

        @Override
        public Node node(String name) {
            return find(Node.class, null, name);
        }

        @Override
        public Namespace namespace(String name) {
            return find(Namespace.class, null, name);
        }
    };

    private RoleTargets.Group build(HasMetadata object) {
        RoleTargets.Options options = new RoleTargets.Options(config.attachNodeMetadata(), config.attachNamespaceMetadata());
        if (object instanceof Pod pod) {
            return RoleTargets.pod(pod, lookup, options);
        } else if (object instanceof Service service) {
            return RoleTargets.service(service, lookup, options);
        } else if (object instanceof Endpoints endpoints) {
            return RoleTargets.endpoints(endpoints, lookup, options);
        } else if (object instanceof EndpointSlice slice) {
            return RoleTargets.endpointSlice(slice, lookup, options);
        } else if (object instanceof Node node) {
            return RoleTargets.node(node, lookup, options);
        } else if (object instanceof Ingress ingress) {
            return RoleTargets.ingress(ingress, lookup, options);
        }
        throw new IllegalArgumentException("unexpected object " + object.getKind());
    }

    private List<TargetGroup> rebuild(String key) {
        int slash = key.indexOf('/');
        String namespace = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        @SuppressWarnings("unchecked")
        HasMetadata object = find((Class<HasMetadata>) primaryType, namespace, name);
        if (object != null) {
            return expand(build(object));
        }
        String source = switch (config.role()) {
            case "service" -> "svc/" + key;
            case "node" -> "node/" + key;
            default -> config.role() + "/" + key;
        };
        return expand(new RoleTargets.Group(source, Map.of(), List.of()));
    }

    /** One TargetGroup per target; indexes no longer present are sent empty. */
    private List<TargetGroup> expand(RoleTargets.Group group) {
        List<TargetGroup> out = new ArrayList<>();
        int i = 0;
        for (Map<String, String> target : group.targets()) {
            Labels.Builder labels = Labels.builder();
            group.labels().forEach(labels::set);
            String address = null;
            for (Map.Entry<String, String> entry : target.entrySet()) {
                if (entry.getKey().equals("__address__")) {
                    address = entry.getValue();
                } else {
                    labels.set(entry.getKey(), entry.getValue());
                }
            }
            out.add(new TargetGroup(List.of(address), labels.build(), group.source() + "#" + i));
            i++;
        }
        int previous = sentCounts.getOrDefault(group.source(), 0);
        for (int j = i; j < previous; j++) {
            out.add(new TargetGroup(List.of(), Labels.EMPTY, group.source() + "#" + j));
        }
        if (i == 0) {
            sentCounts.remove(group.source());
        } else {
            sentCounts.put(group.source(), i);
        }
        return out;
    }

    /** Small helpers for nullable model lists. */
    private static final class Stream2 {
        static List<io.fabric8.kubernetes.api.model.EndpointAddress> addresses(io.fabric8.kubernetes.api.model.EndpointSubset subset) {
            List<io.fabric8.kubernetes.api.model.EndpointAddress> all = new ArrayList<>();
            if (subset.getAddresses() != null) {
                all.addAll(subset.getAddresses());
            }
            if (subset.getNotReadyAddresses() != null) {
                all.addAll(subset.getNotReadyAddresses());
            }
            return all;
        }
    }
}
