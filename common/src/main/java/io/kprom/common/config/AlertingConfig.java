package io.kprom.common.config;

import io.kprom.common.relabel.RelabelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code alerting} section. */
public record AlertingConfig(List<RelabelConfig> alertRelabelConfigs, List<AlertmanagerConfig> alertmanagers) {
    public static final AlertingConfig EMPTY = new AlertingConfig(List.of(), List.of());

    /** One {@code alertmanagers} entry. */
    public record AlertmanagerConfig(String scheme, String pathPrefix, Duration timeout, String apiVersion,
            List<TargetGroup> staticConfigs, List<FileSdConfig> fileSdConfigs,
            List<KubernetesSdConfig> kubernetesSdConfigs, List<RelabelConfig> relabelConfigs,
            List<RelabelConfig> alertRelabelConfigs, HttpClientConfig httpClientConfig) {
    }

    static AlertingConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        if (node == null) {
            return EMPTY;
        }
        List<RelabelConfig> relabel = node.bindList("alert_relabel_configs", RelabelConfig::fromYaml);
        List<AlertmanagerConfig> managers = new ArrayList<>();
        int index = 0;
        for (YamlNode am : node.list("alertmanagers")) {
            String scheme = am.string("scheme", "http");
            String prefix = am.string("path_prefix", "");
            Duration timeout = am.duration("timeout", Duration.ofSeconds(10));
            YamlNode versionNode = am.get("api_version");
            String version = versionNode == null ? "v2" : versionNode.scalar();
            if (!version.equals("v2")) {
                throw versionNode.error("expected Alertmanager api version to be one of [v2] but got " + version);
            }
            List<TargetGroup> statics = new ArrayList<>();
            int g = 0;
            for (YamlNode group : am.list("static_configs")) {
                statics.add(TargetGroup.fromYaml(group, "alertmanager/" + index + "/static/" + g++));
            }
            List<FileSdConfig> files = am.bindList("file_sd_configs", n -> FileSdConfig.fromYaml(n, paths));
            List<KubernetesSdConfig> kubernetes = am.bindList("kubernetes_sd_configs", n -> KubernetesSdConfig.fromYaml(n, paths));
            List<RelabelConfig> amRelabel = am.bindList("relabel_configs", RelabelConfig::fromYaml);
            List<RelabelConfig> amAlertRelabel = am.bindList("alert_relabel_configs", RelabelConfig::fromYaml);
            HttpClientConfig http = HttpClientConfig.fromYaml(am, paths);
            am.rejectUnknownFields();
            managers.add(new AlertmanagerConfig(scheme, prefix, timeout, version, statics, files, kubernetes, amRelabel,
                    amAlertRelabel, http));
            index++;
        }
        node.rejectUnknownFields();
        return new AlertingConfig(relabel, managers);
    }
}
