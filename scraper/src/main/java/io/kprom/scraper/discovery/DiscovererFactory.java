package io.kprom.scraper.discovery;

import io.kprom.common.config.FileSdConfig;
import io.kprom.common.config.KubernetesSdConfig;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.scraper.discovery.kubernetes.KubernetesDiscoverer;
import java.util.ArrayList;
import java.util.List;

/** Creates the discoverers a scrape config asks for, each with a name for metrics and logs. */
public final class DiscovererFactory {
    private DiscovererFactory() {
    }

    /** A discoverer with its mechanism name ({@code static}, {@code file}, {@code kubernetes}). */
    public record Named(String mechanism, Discoverer discoverer) {
    }

    public static List<Named> create(ScrapeConfig config) {
        List<Named> out = new ArrayList<>();
        if (!config.staticConfigs().isEmpty()) {
            out.add(new Named("static", new StaticDiscoverer(config.staticConfigs())));
        }
        for (FileSdConfig file : config.fileSdConfigs()) {
            out.add(new Named("file", new FileDiscoverer(file)));
        }
        for (KubernetesSdConfig kubernetes : config.kubernetesSdConfigs()) {
            out.add(new Named("kubernetes", new KubernetesDiscoverer(kubernetes)));
        }
        return out;
    }
}
