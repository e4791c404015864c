package io.kprom.schemas.serde;

import io.kprom.schemas.serde.registry.RestSchemaRegistryClient;
import io.kprom.schemas.serde.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serde configuration keys (the same names Confluent's serializers use, so one client config works
 * for both). Values may be strings or the natural Java type.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code schema.registry.url}</td><td>(none)</td><td>comma-separated registry base URLs; set = Confluent wire
 * format, unset = Avro single-object encoding</td></tr>
 * <tr><td>{@code basic.auth.user.info}</td><td>(none)</td><td>{@code user:password} for the registry
 * (also read as {@code schema.registry.basic.auth.user.info})</td></tr>
 * <tr><td>{@code auto.register.schemas}</td><td>true</td><td>register the schema on first use; false = only look it up</td></tr>
 * <tr><td>{@code schema.registry.request.timeout.ms}</td><td>10000</td><td>per-request timeout</td></tr>
 * </table>
 */
public final class SerdeConfig {
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    /** One client (and so one cache) per registry configuration, shared by all serdes of the JVM. */
    private static final Map<List<Object>, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private final List<String> registryUrls;
    private final String userInfo;
    private final boolean autoRegister;
    private final Duration timeout;

    private SerdeConfig(Map<String, ?> config) {
        String urls = string(config, SCHEMA_REGISTRY_URL, "");
        this.registryUrls = Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.userInfo = string(config, BASIC_AUTH_USER_INFO, string(config, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO, null));
        this.autoRegister = Boolean.parseBoolean(string(config, AUTO_REGISTER_SCHEMAS, "true"));
        this.timeout = Duration.ofMillis(Long.parseLong(string(config, REQUEST_TIMEOUT_MS, "10000")));
    }

    public static SerdeConfig of(Map<String, ?> config) {
        return new SerdeConfig(config == null ? Map.of() : config);
    }

    /** True when values use the Confluent wire format with a schema registry. */
    public boolean registryMode() {
        return !registryUrls.isEmpty();
    }

    public boolean autoRegister() {
        return autoRegister;
    }

    /** The shared registry client for this configuration, if a registry is configured. */
    public Optional<SchemaRegistryClient> registryClient() {
        if (!registryMode()) {
            return Optional.empty();
        }
        List<Object> key = List.of(registryUrls, userInfo == null ? "" : userInfo, timeout);
        return Optional.of(CLIENTS.computeIfAbsent(key, k -> new RestSchemaRegistryClient(registryUrls, userInfo, timeout)));
    }

    private static String string(Map<String, ?> config, String key, String fallback) {
        Object value = config.get(key);
        return value == null ? fallback : value.toString();
    }
}
