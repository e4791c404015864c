package io.kprom.scraper.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

/** Cached objects a role consults while building targets (null when unknown or not watched). */
interface Lookup {
    Pod pod(String namespace, String name);

    Service service(String namespace, String name);

    Node node(String name);

    Namespace namespace(String name);
}
