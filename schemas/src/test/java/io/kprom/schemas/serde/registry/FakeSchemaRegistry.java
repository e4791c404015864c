package io.kprom.schemas.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A Confluent Schema Registry stand-in on loopback that answers like the documented REST API:
 * {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}}, {@code GET /schemas/ids/{id}},
 * with the documented error bodies ({@code {"error_code": 40403, "message": ...}}) for 404, 409, 422.
 * Schema ids are global (one id per distinct schema), as in Confluent SR. Test code only.
 */
public final class FakeSchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Set<String> incompatibleSubjects = new HashSet<>();
    private final Set<String> invalidSubjects = new HashSet<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final String prefix;
    private volatile int failWithStatus;
    private volatile String lastAuthorization;
    private volatile String lastContentType;

    private FakeSchemaRegistry(String prefix) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A registry at the root path, like Confluent SR, Karapace and Redpanda. */
    public static FakeSchemaRegistry start() throws IOException {
        return new FakeSchemaRegistry("");
    }

    /** A registry under a base path, like Apicurio's {@code /apis/ccompat/v7}. */
    public static FakeSchemaRegistry startUnder(String basePath) throws IOException {
        return new FakeSchemaRegistry(basePath);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    public int requests() {
        return requests.get();
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    public String lastContentType() {
        return lastContentType;
    }

    /** From now on, registering a new schema under {@code subject} answers 409. */
    public synchronized void rejectNewVersionsOf(String subject) {
        incompatibleSubjects.add(subject);
    }

    /** From now on, schemas sent for {@code subject} answer 422 (as a registry with stricter validation rules would). */
    public synchronized void rejectSchemasOf(String subject) {
        invalidSubjects.add(subject);
    }

    /** Every request answers this status (e.g. 500) until set back to 0. */
    public void failWith(int status) {
        this.failWithStatus = status;
    }

    /** Registers a schema directly (like another producer would) and returns its id. */
    public synchronized int preRegister(String subject, Schema schema) {
        return registerLocked(subject, schema.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
        lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
        try (exchange) {
            if (failWithStatus != 0) {
                send(exchange, failWithStatus, error(50001, "Error in the backend data store"));
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(prefix)) {
                send(exchange, 404, error(404, "HTTP 404 Not Found"));
                return;
            }
            String[] parts = path.substring(prefix.length()).split("/");
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                if (method.equals("GET") && parts.length == 4 && parts[1].equals("schemas") && parts[2].equals("ids")) {
                    schemaById(exchange, Integer.parseInt(parts[3]));
                } else if (method.equals("POST") && parts.length == 4 && parts[1].equals("subjects") && parts[3].equals("versions")) {
                    register(exchange, decode(parts[2]), body);
                } else if (method.equals("POST") && parts.length == 3 && parts[1].equals("subjects")) {
                    lookup(exchange, decode(parts[2]), body);
                } else {
                    send(exchange, 404, error(404, "HTTP 404 Not Found"));
                }
            }
        }
    }

    private void schemaById(HttpExchange exchange, int id) throws IOException {
        String schema = schemasById.get(id);
        if (schema == null) {
            send(exchange, 404, error(40403, "Schema " + id + " not found"));
            return;
        }
        send(exchange, 200, JSON.createObjectNode().put("schema", schema));
    }

    private void register(HttpExchange exchange, String subject, byte[] body) throws IOException {
        String schema = parseSchema(exchange, body);
        if (schema == null) {
            return;
        }
        if (invalidSubjects.contains(subject)) {
            send(exchange, 422, error(42201, "Either the input schema or one of its references is invalid"));
            return;
        }
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Integer existing = idsBySchema.get(schema);
        boolean newVersion = existing == null || !versions.contains(existing);
        if (newVersion && !versions.isEmpty() && incompatibleSubjects.contains(subject)) {
            send(exchange, 409, error(409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\""));
            return;
        }
        send(exchange, 200, JSON.createObjectNode().put("id", registerLocked(subject, schema)));
    }

    private void lookup(HttpExchange exchange, String subject, byte[] body) throws IOException {
        String schema = parseSchema(exchange, body);
        if (schema == null) {
            return;
        }
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            send(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
            return;
        }
        Integer id = idsBySchema.get(schema);
        if (id == null || !versions.contains(id)) {
            send(exchange, 404, error(40403, "Schema not found"));
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("subject", subject).put("id", id)
                .put("version", versions.indexOf(id) + 1).put("schema", schema);
        send(exchange, 200, answer);
    }

    /** The canonical schema text, or null after answering 422 for an unparsable one. */
    private String parseSchema(HttpExchange exchange, byte[] body) throws IOException {
        try {
            JsonNode request = JSON.readTree(body);
            return new Schema.Parser().parse(request.get("schema").asText()).toString();
        } catch (RuntimeException | IOException e) {
            send(exchange, 422, error(42201, "Invalid schema: " + e.getMessage()));
            return null;
        }
    }

    private int registerLocked(String subject, String schema) {
        int id = idsBySchema.computeIfAbsent(schema, s -> idsBySchema.size() + 1);
        schemasById.put(id, schema);
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
