package io.kprom.common.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's common HTTP client settings: {@code basic_auth}, {@code authorization},
 * {@code tls_config}, {@code proxy_url}, {@code no_proxy}, {@code proxy_from_environment},
 * {@code proxy_connect_header}, {@code follow_redirects}, {@code enable_http2}.
 * Credential files are resolved against the config file's directory and re-read by users.
 *
 * @param noProxy comma-separated hosts, domains and CIDRs that bypass {@code proxy_url}, or null
 * @param proxyFromEnvironment use {@code HTTP_PROXY}/{@code HTTPS_PROXY}/{@code NO_PROXY} from the environment
 * @param proxyConnectHeaders headers sent to the proxy with {@code CONNECT} (name to values)
 */
public record HttpClientConfig(BasicAuth basicAuth, Authorization authorization, TlsConfig tlsConfig,
        String proxyUrl, boolean followRedirects, boolean enableHttp2, Map<String, String> httpHeaders,
        String noProxy, boolean proxyFromEnvironment, Map<String, List<String>> proxyConnectHeaders) {

    public static final HttpClientConfig DEFAULT = new HttpClientConfig(null, null, TlsConfig.DEFAULT, null, true, true, Map.of());

    public HttpClientConfig {
        proxyConnectHeaders = proxyConnectHeaders == null ? Map.of() : proxyConnectHeaders;
    }

    /** Without the no_proxy / proxy_from_environment / proxy_connect_header settings. */
    public HttpClientConfig(BasicAuth basicAuth, Authorization authorization, TlsConfig tlsConfig, String proxyUrl,
            boolean followRedirects, boolean enableHttp2, Map<String, String> httpHeaders) {
        this(basicAuth, authorization, tlsConfig, proxyUrl, followRedirects, enableHttp2, httpHeaders, null, false, Map.of());
    }

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
        String noProxy = node.string("no_proxy", null);
        boolean proxyFromEnvironment = node.bool("proxy_from_environment", false);
        Map<String, List<String>> connectHeaders = new LinkedHashMap<>();
        YamlNode connect = node.get("proxy_connect_header");
        if (connect != null && !connect.isNull()) {
            for (String name : connect.keys()) {
                connectHeaders.put(name, connect.stringList(name));
            }
        }
        boolean hasProxyUrl = proxy != null && !proxy.isEmpty();
        if (noProxy != null && !noProxy.isEmpty() && !hasProxyUrl) {
            throw node.error("if no_proxy is configured, proxy_url must also be configured");
        }
        if (proxyFromEnvironment && hasProxyUrl) {
            throw node.error("if proxy_from_environment is configured, proxy_url must not be configured");
        }
        if (proxyFromEnvironment && noProxy != null && !noProxy.isEmpty()) {
            throw node.error("if proxy_from_environment is configured, no_proxy must not be configured");
        }
        if (!connectHeaders.isEmpty() && !hasProxyUrl && !proxyFromEnvironment) {
            throw node.error("if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
        }
        Map<String, String> headers = node.stringMap("http_headers");
        return new HttpClientConfig(basicAuth, authorization, tls, proxy, node.bool("follow_redirects", true),
                node.bool("enable_http2", true), headers, noProxy, proxyFromEnvironment, Map.copyOf(connectHeaders));
    }
}
