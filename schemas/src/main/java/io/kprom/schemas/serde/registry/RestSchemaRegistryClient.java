package io.kprom.schemas.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, which Confluent SR,
 * Apicurio Registry (its {@code /apis/ccompat/v7} base URL), Karapace and Redpanda all serve.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new RestSchemaRegistryClient(List.of("http://registry:8081"), null, Duration.ofSeconds(10));
 * int id = registry.register("metrics.raw-value", ScrapeBatch.getClassSchema());
 * }</pre>
 *
 * Several base URLs are tried in order; the next one is tried when one does not answer or answers
 * 5xx. Successful answers are cached forever (ids and schemas are immutable in every registry), so
 * steady-state serialization makes no HTTP calls. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baseUrls;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /**
     * @param baseUrls registry base URLs, e.g. {@code http://localhost:8081} (a trailing slash is ignored)
     * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null
     * @param timeout per-request timeout
     */
    public RestSchemaRegistryClient(List<String> baseUrls, String basicAuthUserInfo, Duration timeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is needed");
        }
        this.baseUrls = baseUrls.stream().map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).toList();
        this.authorization = basicAuthUserInfo == null || basicAuthUserInfo.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        // HTTP/1.1: every registry speaks it, and it avoids h2c upgrade round trips on plain http.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = requiredId(answer, subject);
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
        int id = requiredId(answer, subject);
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, 0, "schema id " + id + " is a " + type + " schema, not Avro");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(200, 0, "schema id " + id + ": answer has no \"schema\" field");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(200, 0, "schema id " + id + " is not a valid Avro schema: " + e.getMessage());
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static int requiredId(JsonNode answer, String subject) {
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SchemaRegistryException(200, 0, "registry answer for subject " + subject + " has no \"id\": " + answer);
        }
        return id.intValue();
    }

    private JsonNode call(String method, String path, String body) {
        SchemaRegistryException last = null;
        for (String base : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(timeout)
                    .header("Accept", ACCEPT);
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry " + base + " did not answer " + method + " " + path
                        + ": " + e, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling schema registry " + base, e);
            }
            if (response.statusCode() / 100 == 2) {
                return parse(response.body(), base, path);
            }
            SchemaRegistryException error = errorOf(response, base, method, path);
            if (!error.retriable()) {
                throw error;
            }
            last = error;
        }
        throw last;
    }

    private static JsonNode parse(String body, String base, String path) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new SchemaRegistryException(200, 0, "schema registry " + base + path + " answered with invalid JSON: " + e.getMessage());
        }
    }

    private static SchemaRegistryException errorOf(HttpResponse<String> response, String base, String method, String path) {
        int status = response.statusCode();
        int code = status;
        String message = response.body();
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error != null && error.has("error_code")) {
                code = error.get("error_code").asInt(status);
            }
            if (error != null && error.has("message")) {
                message = error.get("message").asText();
            }
        } catch (IOException e) {
            // Not JSON (a proxy's error page, say): keep the raw body as the message.
        }
        return new SchemaRegistryException(status, code,
                "schema registry " + base + " answered " + method + " " + path + " with HTTP " + status
                        + " (error code " + code + "): " + message);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
