package io.kprom.common.config;

import io.kprom.common.labels.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code global} section, with Prometheus's defaults. */
public record GlobalConfig(Duration scrapeInterval, Duration scrapeTimeout, Duration evaluationInterval,
        Duration ruleQueryOffset, Labels externalLabels, long bodySizeLimitBytes, long sampleLimit, long labelLimit,
        long labelNameLengthLimit, long labelValueLengthLimit, long targetLimit, long keepDroppedTargets,
        List<String> scrapeProtocols) {

    /** Prometheus 3.x default preference when native histograms are off. */
    public static final List<String> DEFAULT_SCRAPE_PROTOCOLS =
            List.of("OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");
    public static final List<String> KNOWN_SCRAPE_PROTOCOLS = List.of("PrometheusProto", "OpenMetricsText0.0.1",
            "OpenMetricsText1.0.0", "PrometheusText0.0.4", "PrometheusText1.0.0");

    public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMinutes(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ZERO, Labels.EMPTY, 0, 0, 0, 0, 0, 0, 0, DEFAULT_SCRAPE_PROTOCOLS);

    private static final Pattern ENV = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");

    static GlobalConfig fromYaml(YamlNode node) throws ConfigException {
        if (node == null) {
            return DEFAULT;
        }
        Duration interval = node.duration("scrape_interval", DEFAULT.scrapeInterval);
        YamlNode timeoutNode = node.get("scrape_timeout");
        Duration timeout;
        if (timeoutNode == null) {
            timeout = DEFAULT.scrapeTimeout.compareTo(interval) > 0 ? interval : DEFAULT.scrapeTimeout;
        } else {
            timeout = timeoutNode.parseScalar(PromDuration::parse);
            if (timeout.compareTo(interval) > 0) {
                throw timeoutNode.error("global scrape timeout greater than scrape interval");
            }
        }
        Duration evaluation = node.duration("evaluation_interval", DEFAULT.evaluationInterval);
        Duration offset = node.duration("rule_query_offset", Duration.ZERO);
        Labels external = externalLabels(node);
        long body = node.size("body_size_limit", 0);
        long sampleLimit = node.integer("sample_limit", 0);
        long labelLimit = node.integer("label_limit", 0);
        long nameLength = node.integer("label_name_length_limit", 0);
        long valueLength = node.integer("label_value_length_limit", 0);
        long targetLimit = node.integer("target_limit", 0);
        long keepDropped = node.integer("keep_dropped_targets", 0);
        List<String> protocols = scrapeProtocols(node, DEFAULT_SCRAPE_PROTOCOLS);
        node.get("query_log_file");
        node.get("scrape_failure_log_file");
        node.get("metric_name_validation_scheme");
        node.get("metric_name_escaping_scheme");
        node.get("always_scrape_classic_histograms");
        node.get("convert_classic_histograms_to_nhcb");
        node.rejectUnknownFields();
        return new GlobalConfig(interval, timeout, evaluation, offset, external, body, sampleLimit, labelLimit,
                nameLength, valueLength, targetLimit, keepDropped, protocols);
    }

    static List<String> scrapeProtocols(YamlNode node, List<String> defaults) throws ConfigException {
        YamlNode child = node.get("scrape_protocols");
        if (child == null) {
            return defaults;
        }
        List<String> protocols = new java.util.ArrayList<>();
        for (YamlNode element : child.elements()) {
            String protocol = element.scalar();
            if (!KNOWN_SCRAPE_PROTOCOLS.contains(protocol)) {
                throw element.error("unknown scrape protocol " + protocol + ", supported: " + KNOWN_SCRAPE_PROTOCOLS);
            }
            if (protocols.contains(protocol)) {
                throw element.error("duplicated protocol in scrape_protocols, got " + protocol);
            }
            protocols.add(protocol);
        }
        return List.copyOf(protocols);
    }

    private static Labels externalLabels(YamlNode node) throws ConfigException {
        YamlNode child = node.get("external_labels");
        Map<String, String> raw = node.stringMap("external_labels");
        Labels.Builder builder = Labels.builder();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().equals(Labels.METRIC_NAME)) {
                throw child.error("\"" + entry.getKey() + "\" is not a valid label name");
            }
            builder.set(entry.getKey(), expandEnv(entry.getValue()));
        }
        return builder.build();
    }

    /** Prometheus 3 expands {@code $VAR} and {@code ${VAR}} in external label values. */
    static String expandEnv(String value) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String env = System.getenv(name);
            m.appendReplacement(sb, Matcher.quoteReplacement(env == null ? "" : env));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
