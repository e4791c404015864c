package io.kprom.common.config;

import io.kprom.common.relabel.RelabelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code scrape_configs} entry, with defaults filled in from {@code global} exactly as Prometheus does. */
public record ScrapeConfig(String jobName, Duration scrapeInterval, Duration scrapeTimeout, String metricsPath,
        String scheme, Map<String, List<String>> params, boolean honorLabels, boolean honorTimestamps,
        boolean trackTimestampsStaleness, List<TargetGroup> staticConfigs, List<FileSdConfig> fileSdConfigs,
        List<KubernetesSdConfig> kubernetesSdConfigs, List<RelabelConfig> relabelConfigs,
        List<RelabelConfig> metricRelabelConfigs, long sampleLimit, long labelLimit, long labelNameLengthLimit,
        long labelValueLengthLimit, long bodySizeLimitBytes, long targetLimit, long keepDroppedTargets,
        boolean enableCompression, List<String> scrapeProtocols, String fallbackScrapeProtocol,
        HttpClientConfig httpClientConfig) {

    static ScrapeConfig fromYaml(YamlNode node, GlobalConfig global, ConfigPaths paths) throws ConfigException {
        YamlNode jobNode = node.get("job_name");
        String job = jobNode == null ? "" : jobNode.scalar();
        if (job.isEmpty()) {
            throw node.error("job_name is empty");
        }
        YamlNode intervalNode = node.get("scrape_interval");
        Duration interval = intervalNode == null ? global.scrapeInterval() : intervalNode.parseScalar(PromDuration::parse);
        YamlNode timeoutNode = node.get("scrape_timeout");
        Duration timeout;
        if (timeoutNode == null) {
            timeout = global.scrapeTimeout().compareTo(interval) > 0 ? interval : global.scrapeTimeout();
        } else {
            timeout = timeoutNode.parseScalar(PromDuration::parse);
            if (timeout.compareTo(interval) > 0) {
                throw timeoutNode.error("scrape timeout greater than scrape interval for scrape config with job name \""
                        + job + "\"");
            }
        }
        String metricsPath = node.string("metrics_path", "/metrics");
        YamlNode schemeNode = node.get("scheme");
        String scheme = schemeNode == null ? "http" : schemeNode.scalar();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw schemeNode.error("unknown scrape config scheme \"" + scheme + "\" (use http or https)");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        YamlNode paramsNode = node.get("params");
        if (paramsNode != null) {
            for (String key : paramsNode.keys()) {
                params.put(key, paramsNode.stringList(key));
            }
        }
        boolean honorLabels = node.bool("honor_labels", false);
        boolean honorTimestamps = node.bool("honor_timestamps", true);
        boolean trackStaleness = node.bool("track_timestamps_staleness", false);
        List<TargetGroup> statics = new ArrayList<>();
        int index = 0;
        for (YamlNode group : node.list("static_configs")) {
            statics.add(TargetGroup.fromYaml(group, job + "/static/" + index++));
        }
        List<FileSdConfig> files = node.bindList("file_sd_configs", n -> FileSdConfig.fromYaml(n, paths));
        List<KubernetesSdConfig> kubernetes = node.bindList("kubernetes_sd_configs", n -> KubernetesSdConfig.fromYaml(n, paths));
        List<RelabelConfig> relabel = node.bindList("relabel_configs", RelabelConfig::fromYaml);
        List<RelabelConfig> metricRelabel = node.bindList("metric_relabel_configs", RelabelConfig::fromYaml);
        long sampleLimit = orGlobal(node.integer("sample_limit", 0), global.sampleLimit());
        long labelLimit = orGlobal(node.integer("label_limit", 0), global.labelLimit());
        long nameLength = orGlobal(node.integer("label_name_length_limit", 0), global.labelNameLengthLimit());
        long valueLength = orGlobal(node.integer("label_value_length_limit", 0), global.labelValueLengthLimit());
        long body = orGlobal(node.size("body_size_limit", 0), global.bodySizeLimitBytes());
        long targetLimit = orGlobal(node.integer("target_limit", 0), global.targetLimit());
        long keepDropped = orGlobal(node.integer("keep_dropped_targets", 0), global.keepDroppedTargets());
        boolean compression = node.bool("enable_compression", true);
        List<String> protocols = GlobalConfig.scrapeProtocols(node, global.scrapeProtocols());
        YamlNode fallbackNode = node.get("fallback_scrape_protocol");
        String fallback = null;
        if (fallbackNode != null) {
            fallback = fallbackNode.scalar();
            if (!GlobalConfig.KNOWN_SCRAPE_PROTOCOLS.contains(fallback)) {
                throw fallbackNode.error("unknown fallback_scrape_protocol " + fallback + ", supported: "
                        + GlobalConfig.KNOWN_SCRAPE_PROTOCOLS);
            }
        }
        node.get("scrape_classic_histograms");
        node.get("always_scrape_classic_histograms");
        node.get("native_histogram_bucket_limit");
        node.get("native_histogram_min_bucket_factor");
        node.get("convert_classic_histograms_to_nhcb");
        node.get("metric_name_validation_scheme");
        node.get("metric_name_escaping_scheme");
        node.get("scrape_failure_log_file");
        HttpClientConfig http = HttpClientConfig.fromYaml(node, paths);
        node.rejectUnknownFields();
        return new ScrapeConfig(job, interval, timeout, metricsPath, scheme, params, honorLabels, honorTimestamps,
                trackStaleness, List.copyOf(statics), files, kubernetes, relabel, metricRelabel, sampleLimit, labelLimit,
                nameLength, valueLength, body, targetLimit, keepDropped, compression, protocols, fallback, http);
    }

    private static long orGlobal(long value, long global) {
        return value == 0 ? global : value;
    }
}
