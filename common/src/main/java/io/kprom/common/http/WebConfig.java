package io.kprom.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's {@code --web.config.file}: TLS for the listener and HTTP basic auth with bcrypt
 * password hashes.
 *
 * <pre>{@code
 * tls_server_config:
 *   cert_file: server.crt          # relative paths resolve against the config file's directory
 *   key_file: server.key
 *   client_auth_type: RequireAndVerifyClientCert
 *   client_ca_file: ca.crt
 *   min_version: TLS12
 * http_server_config:
 *   headers: {X-Frame-Options: deny}
 * basic_auth_users:
 *   alice: $2y$10$...               # bcrypt hash
 * }</pre>
 *
 * Unknown fields are errors, as in Prometheus. Immutable.
 *
 * @param tls TLS settings, or null for plain HTTP
 * @param basicAuthUsers user name to bcrypt hash; empty means no authentication
 * @param headers extra response headers from {@code http_server_config.headers}
 */
public record WebConfig(TlsServerConfig tls, Map<String, String> basicAuthUsers, Map<String, String> headers) {
    public static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public WebConfig {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
        headers = Map.copyOf(headers);
    }

    /**
     * TLS listener settings.
     *
     * @param clientAuthType one of Go's names: NoClientCert, RequestClientCert, RequireAnyClientCert,
     *     VerifyClientCertIfGiven, RequireAndVerifyClientCert
     * @param minVersion TLS10..TLS13 (default TLS12, as Prometheus)
     * @param maxVersion TLS10..TLS13 (default TLS13)
     */
    public record TlsServerConfig(Path certFile, Path keyFile, String clientAuthType, Path clientCaFile,
            String minVersion, String maxVersion) {
        static final List<String> CLIENT_AUTH_TYPES = List.of("NoClientCert", "RequestClientCert",
                "RequireAnyClientCert", "VerifyClientCertIfGiven", "RequireAndVerifyClientCert");
        static final Map<String, String> VERSIONS = Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1",
                "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

        public TlsServerConfig {
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("tls_server_config needs both cert_file and key_file");
            }
            if (!CLIENT_AUTH_TYPES.contains(clientAuthType)) {
                throw new IllegalArgumentException("invalid client_auth_type '" + clientAuthType + "', expected one of "
                        + CLIENT_AUTH_TYPES);
            }
            if (clientCaFile != null && clientAuthType.equals("NoClientCert")) {
                throw new IllegalArgumentException("client_ca_file is set but client_auth_type is NoClientCert");
            }
            if (clientCaFile == null && (clientAuthType.equals("VerifyClientCertIfGiven")
                    || clientAuthType.equals("RequireAndVerifyClientCert"))) {
                throw new IllegalArgumentException("client_auth_type " + clientAuthType + " needs client_ca_file");
            }
            if (!VERSIONS.containsKey(minVersion) || !VERSIONS.containsKey(maxVersion)) {
                throw new IllegalArgumentException("unknown TLS version '" + minVersion + "'/'" + maxVersion
                        + "', expected TLS10, TLS11, TLS12 or TLS13");
            }
            if (minVersion.compareTo(maxVersion) > 0) {
                throw new IllegalArgumentException("min_version " + minVersion + " is above max_version " + maxVersion);
            }
        }

        /** JSSE protocol names from min to max version. */
        List<String> protocols() {
            List<String> protocols = new ArrayList<>();
            for (String version : List.of("TLS10", "TLS11", "TLS12", "TLS13")) {
                if (version.compareTo(minVersion) >= 0 && version.compareTo(maxVersion) <= 0) {
                    protocols.add(VERSIONS.get(version));
                }
            }
            return protocols;
        }
    }

    /** Loads a web config file; errors name the file and the field. */
    public static WebConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read web config file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid web config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses web config YAML; relative file names resolve against {@code baseDir}. */
    public static WebConfig parse(String yaml, Path baseDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return NONE;
        }
        checkFields(root, "", Set.of("tls_server_config", "http_server_config", "basic_auth_users"));
        TlsServerConfig tls = null;
        JsonNode tlsNode = root.path("tls_server_config");
        if (tlsNode.isObject() && tlsNode.size() > 0) {
            checkFields(tlsNode, "tls_server_config.", Set.of("cert_file", "key_file", "client_auth_type",
                    "client_ca_file", "min_version", "max_version", "cipher_suites", "prefer_server_cipher_suites",
                    "curve_preferences", "client_allowed_sans", "cert", "key", "client_ca"));
            tls = new TlsServerConfig(path(tlsNode, "cert_file", baseDir), path(tlsNode, "key_file", baseDir),
                    text(tlsNode, "client_auth_type", "NoClientCert"), path(tlsNode, "client_ca_file", baseDir),
                    text(tlsNode, "min_version", "TLS12"), text(tlsNode, "max_version", "TLS13"));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode httpNode = root.path("http_server_config");
        if (httpNode.isObject()) {
            checkFields(httpNode, "http_server_config.", Set.of("http2", "headers"));
            httpNode.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, String> users = new LinkedHashMap<>();
        JsonNode usersNode = root.path("basic_auth_users");
        if (usersNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = usersNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> user = it.next();
                String hash = user.getValue().asText();
                if (!hash.startsWith("$2")) {
                    throw new IllegalArgumentException("basic_auth_users." + user.getKey() + " is not a bcrypt hash");
                }
                users.put(user.getKey(), hash);
            }
        } else if (!usersNode.isMissingNode() && !usersNode.isNull()) {
            throw new IllegalArgumentException("basic_auth_users must be a map of user name to bcrypt hash");
        }
        return new WebConfig(tls, users, headers);
    }

    private static void checkFields(JsonNode node, String prefix, Set<String> known) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("field " + (prefix.isEmpty() ? "<root>" : prefix) + " must be a map");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("field " + prefix + name + " not found in type web config");
            }
        });
        for (String unsupported : List.of("cert", "key", "client_ca", "cipher_suites", "curve_preferences",
                "client_allowed_sans")) {
            if (prefix.equals("tls_server_config.") && node.has(unsupported)) {
                throw new IllegalArgumentException("field " + prefix + unsupported + " is not supported by kprom");
            }
        }
    }

    private static String text(JsonNode node, String field, String defaultValue) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? defaultValue : value.asText();
    }

    private static Path path(JsonNode node, String field, Path baseDir) {
        String value = text(node, field, null);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }
}
