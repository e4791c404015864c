package io.kprom.common.config;

/** Client TLS settings ({@code tls_config}). File paths are resolved against the config file's directory. */
public record TlsConfig(String caFile, String ca, String certFile, String cert, String keyFile, String key,
        String serverName, boolean insecureSkipVerify, String minVersion, String maxVersion) {
    public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, null, null, null, false, null, null);

    static TlsConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        if (node == null) {
            return DEFAULT;
        }
        TlsConfig config = new TlsConfig(paths.resolve(node.string("ca_file", null)), node.string("ca", null),
                paths.resolve(node.string("cert_file", null)), node.string("cert", null),
                paths.resolve(node.string("key_file", null)), node.string("key", null),
                node.string("server_name", null), node.bool("insecure_skip_verify", false),
                tlsVersion(node, "min_version"), tlsVersion(node, "max_version"));
        node.rejectUnknownFields();
        if (config.certFile != null && config.cert != null || config.keyFile != null && config.key != null
                || config.caFile != null && config.ca != null) {
            throw node.error("at most one of cert and cert_file, key and key_file, ca and ca_file must be configured");
        }
        if ((config.certFile != null || config.cert != null) != (config.keyFile != null || config.key != null)) {
            throw node.error("exactly one of key or key_file must be configured when a client certificate is configured");
        }
        return config;
    }

    private static String tlsVersion(YamlNode node, String key) throws ConfigException {
        YamlNode child = node.get(key);
        if (child == null) {
            return null;
        }
        String v = child.scalar();
        return switch (v) {
            case "TLS10", "TLS11", "TLS12", "TLS13" -> v;
            default -> throw child.error("unknown TLS version: " + v);
        };
    }
}
