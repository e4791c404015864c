package io.kprom.common.config;

import io.kprom.common.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One {@code remote_write} entry with Prometheus's defaults. */
public record RemoteWriteConfig(String url, String name, Duration remoteTimeout, Map<String, String> headers,
        List<RelabelConfig> writeRelabelConfigs, QueueConfig queueConfig, String protobufMessage,
        boolean sendExemplars, boolean sendNativeHistograms, HttpClientConfig httpClientConfig) {

    public static final String PROTOBUF_V1 = "prometheus.WriteRequest";
    public static final String PROTOBUF_V2 = "io.prometheus.write.v2.Request";
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-encoding",
            "content-length", "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version",
            "x-prometheus-remote-read-version");

    /** {@code queue_config}. */
    public record QueueConfig(int capacity, int maxShards, int minShards, int maxSamplesPerSend,
            Duration batchSendDeadline, Duration minBackoff, Duration maxBackoff, boolean retryOnHttp429,
            Duration sampleAgeLimit) {
        public static final QueueConfig DEFAULT = new QueueConfig(10000, 50, 1, 2000, Duration.ofSeconds(5),
                Duration.ofMillis(30), Duration.ofSeconds(5), true, Duration.ZERO);

        static QueueConfig fromYaml(YamlNode node) throws ConfigException {
            if (node == null) {
                return DEFAULT;
            }
            QueueConfig config = new QueueConfig((int) node.integer("capacity", DEFAULT.capacity),
                    (int) node.integer("max_shards", DEFAULT.maxShards), (int) node.integer("min_shards", DEFAULT.minShards),
                    (int) node.integer("max_samples_per_send", DEFAULT.maxSamplesPerSend),
                    node.duration("batch_send_deadline", DEFAULT.batchSendDeadline),
                    node.duration("min_backoff", DEFAULT.minBackoff), node.duration("max_backoff", DEFAULT.maxBackoff),
                    node.bool("retry_on_http_429", DEFAULT.retryOnHttp429),
                    node.duration("sample_age_limit", DEFAULT.sampleAgeLimit));
            node.rejectUnknownFields();
            if (config.maxSamplesPerSend <= 0 || config.maxShards <= 0) {
                throw node.error("max_samples_per_send and max_shards must be positive");
            }
            return config;
        }
    }

    static RemoteWriteConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        YamlNode urlNode = node.get("url");
        if (urlNode == null || urlNode.scalar().isEmpty()) {
            throw node.error("url for remote_write is empty");
        }
        String url = urlNode.scalar();
        try {
            java.net.URI uri = new java.net.URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw urlNode.error("invalid remote_write url \"" + url + "\"");
            }
        } catch (java.net.URISyntaxException e) {
            throw urlNode.error("invalid remote_write url \"" + url + "\": " + e.getReason());
        }
        String name = node.string("name", "");
        Duration timeout = node.duration("remote_timeout", Duration.ofSeconds(30));
        Map<String, String> headers = node.stringMap("headers");
        for (String header : headers.keySet()) {
            if (RESERVED_HEADERS.contains(header.toLowerCase(java.util.Locale.ROOT))) {
                throw node.get("headers").error("\"" + header + "\" is a reserved header. It must not be changed");
            }
        }
        List<RelabelConfig> relabel = node.bindList("write_relabel_configs", RelabelConfig::fromYaml);
        QueueConfig queue = QueueConfig.fromYaml(node.get("queue_config"));
        YamlNode messageNode = node.get("protobuf_message");
        String message = messageNode == null ? PROTOBUF_V1 : messageNode.scalar();
        if (!message.equals(PROTOBUF_V1) && !message.equals(PROTOBUF_V2)) {
            throw messageNode.error("unknown remote write protobuf message " + message + ", supported: "
                    + PROTOBUF_V1 + ", " + PROTOBUF_V2);
        }
        boolean exemplars = node.bool("send_exemplars", false);
        boolean histograms = node.bool("send_native_histograms", false);
        node.get("metadata_config");
        node.get("round_robin_dns");
        for (String unsupported : List.of("sigv4", "azuread", "google_iam")) {
            if (node.get(unsupported) != null) {
                throw node.error(unsupported + " is not supported by kprom");
            }
        }
        HttpClientConfig http = HttpClientConfig.fromYaml(node, paths);
        node.rejectUnknownFields();
        return new RemoteWriteConfig(url, name, timeout, headers, relabel, queue, message, exemplars, histograms, http);
    }
}
