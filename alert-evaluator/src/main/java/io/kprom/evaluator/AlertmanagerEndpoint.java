package io.kprom.evaluator;

import io.kprom.common.config.AlertingConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.Relabeler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * One Alertmanager to notify: the URL alerts are posted to, built as Prometheus builds it from a
 * discovered target. Immutable.
 *
 * @param url {@code __scheme__://__address____alerts_path__} after the entry's {@code relabel_configs}
 * @param labels the target's labels after relabeling (for debugging and tests)
 */
record AlertmanagerEndpoint(HttpUrl url, Labels labels) {

    /**
     * The Alertmanagers of some target groups: for each target, its address as {@code __address__},
     * the entry's scheme as {@code __scheme__} and {@code <path_prefix>/api/v2/alerts} as
     * {@code __alerts_path__}, then the group's labels (which may override scheme and path), then
     * {@code relabel_configs}; a dropped target or one whose address is not a plain host:port is
     * skipped. Duplicate URLs are kept once.
     *
     * @param invalid receives a message for each target skipped because of a bad address
     */
    static List<AlertmanagerEndpoint> fromGroups(Iterable<TargetGroup> groups, AlertingConfig.AlertmanagerConfig config,
            java.util.function.Consumer<String> invalid) {
        Map<HttpUrl, AlertmanagerEndpoint> endpoints = new LinkedHashMap<>();
        String path = alertsPath(config.pathPrefix(), config.apiVersion());
        for (TargetGroup group : groups) {
            for (String target : group.targets()) {
                Labels.Builder builder = Labels.builder().set("__address__", target)
                        .set("__scheme__", config.scheme()).set("__alerts_path__", path);
                group.labels().forEach((name, value) -> {
                    if (!name.equals("__address__")) {
                        builder.set(name, value);
                    }
                });
                Labels relabeled = Relabeler.process(builder.build(), config.relabelConfigs());
                if (relabeled == null) {
                    continue;
                }
                String address = relabeled.getOrEmpty("__address__");
                if (address.isEmpty() || address.contains("/")) {
                    invalid.accept("invalid Alertmanager address \"" + address + "\" (from target " + target + ")");
                    continue;
                }
                HttpUrl url = HttpUrl.parse(relabeled.getOrEmpty("__scheme__") + "://" + address
                        + relabeled.getOrEmpty("__alerts_path__"));
                if (url == null) {
                    invalid.accept("invalid Alertmanager URL from scheme \"" + relabeled.getOrEmpty("__scheme__")
                            + "\", address \"" + address + "\" and path \"" + relabeled.getOrEmpty("__alerts_path__") + "\"");
                    continue;
                }
                endpoints.putIfAbsent(url, new AlertmanagerEndpoint(url, relabeled));
            }
        }
        return new ArrayList<>(endpoints.values());
    }

    /** {@code /<path_prefix>/api/<version>/alerts} with duplicate slashes removed, as Go's path.Join. */
    static String alertsPath(String pathPrefix, String apiVersion) {
        StringBuilder out = new StringBuilder();
        String joined = (pathPrefix == null ? "" : pathPrefix) + "/api/" + (apiVersion == null ? "v2" : apiVersion)
                + "/alerts";
        for (String part : joined.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.append('/').append(part);
            }
        }
        return out.toString();
    }
}
