package io.kprom.evaluator;

import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.FileSdConfig;
import io.kprom.common.config.KubernetesSdConfig;
import io.kprom.scraper.discovery.Discoverer;
import io.kprom.scraper.discovery.FileDiscoverer;
import io.kprom.scraper.discovery.StaticDiscoverer;
import io.kprom.scraper.discovery.kubernetes.KubernetesDiscoverer;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the service discoverers of one {@code alerting.alertmanagers} entry, reusing the
 * scraper's: {@code static_configs}, {@code file_sd_configs}, {@code kubernetes_sd_configs}.
 * A seam so tests can give the Kubernetes discoverer a mock API server's client.
 */
@FunctionalInterface
public interface AlertmanagerDiscovery {

    List<Discoverer> discoverers(AlertingConfig.AlertmanagerConfig config);

    /** The discoverers the configuration names, each talking to the real thing. */
    AlertmanagerDiscovery STANDARD = config -> {
        List<Discoverer> out = new ArrayList<>();
        if (!config.staticConfigs().isEmpty()) {
            out.add(new StaticDiscoverer(config.staticConfigs()));
        }
        for (FileSdConfig file : config.fileSdConfigs()) {
            out.add(new FileDiscoverer(file));
        }
        for (KubernetesSdConfig kubernetes : config.kubernetesSdConfigs()) {
            out.add(new KubernetesDiscoverer(kubernetes));
        }
        return out;
    };
}
