package io.kprom.common.config;

import java.util.Map;

/**
 * Prometheus's common HTTP client settings: {@code basic_auth}, {@code authorization},
 * {@code tls_config}, {@code proxy_url}, {@code follow_redirects}, {@code enable_http2}.
 * Credential files are resolved against the config file's directory and re-read by users.
 */
public record HttpClientConfig(BasicAuth basicAuth, Authorization authorization, TlsConfig tlsConfig,
        String proxyUrl, boolean followRedirects, boolean enableHttp2, Map<String, String> httpHeaders) {

    public static final HttpClientConfig DEFAULT = new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true, Map.of());

    /** {@code basic_auth}: password or password_file (one of them). */
    public record BasicAuth(String username, String usernameFile, String password, String passwordFile) {
    }

    /** {@code authorization}: type (default Bearer) and credentials or credentials_file. */
    public record Authorization(String type, String credentials, String credentialsFile) {
    }

    /** Reads the HTTP client fields out of a mapping that also holds other fields (scrape config, remote write, ...). */
    static HttpClientConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        BasicAuth basicAuth = null;
        YamlNode basic = node.get("basic_auth");
        if (basic != null) {
            basicAuth = new BasicAuth(basic.string("username", ""), paths.resolve(basic.string("username_file", null)),
                    basic.string("password", null), paths.resolve(basic.string("password_file", null)));
            basic.rejectUnknownFields();
            if (basicAuth.password() != null && basicAuth.passwordFile() != null) {
                throw basic.error("at most one of basic_auth password & password_file must be configured");
            }
        }
        Authorization authorization = null;
        YamlNode auth = node.get("authorization");
        if (auth != null) {
            authorization = new Authorization(auth.string("type", "Bearer"), auth.string("credentials", null),
                    paths.resolve(auth.string("credentials_file", null)));
            auth.rejectUnknownFields();
            if (authorization.type().equalsIgnoreCase("basic")) {
                throw auth.error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            }
            if (authorization.credentials() != null && authorization.credentialsFile() != null) {
                throw auth.error("at most one of authorization credentials & credentials_file must be configured");
            }
        }
        String bearer = node.string("bearer_token", null);
        String bearerFile = paths.resolve(node.string("bearer_token_file", null));
        if (bearer != null || bearerFile != null) {
            if (authorization != null) {
                throw node.error("authorization is not compatible with bearer_token & bearer_token_file");
            }
            authorization = new Authorization("Bearer", bearer, bearerFile);
        }
        if (basicAuth != null && authorization != null) {
            throw node.error("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        if (node.get("oauth2") != null) {
            throw node.error("oauth2 is not supported by kprom yet; use authorization with credentials_file");
        }
        TlsConfig tls = TlsConfig.fromYaml(node.get("tls_config"), paths);
        String proxy = node.string("proxy_url", null);
        node.get("no_proxy");
        node.get("proxy_from_environment");
        node.get("proxy_connect_header");
        Map<String, String> headers = node.stringMap("http_headers");
        return new HttpClientConfig(basicAuth, authorization, tls, proxy, node.bool("follow_redirects", true),
                node.bool("enable_http2", true), headers);
    }
}
