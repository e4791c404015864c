package io.kprom.schemas.serde.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.ScrapeBatch;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RestSchemaRegistryClientTest {
    private static final Schema SCRAPE = ScrapeBatch.getClassSchema();
    private static final Schema ALERT = AlertEvent.getClassSchema();

    private FakeSchemaRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = FakeSchemaRegistry.start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private RestSchemaRegistryClient client(String... urls) {
        return new RestSchemaRegistryClient(List.of(urls), null, Duration.ofSeconds(5));
    }

    @Test
    void registersOnceAndCachesBothWays() {
        RestSchemaRegistryClient client = client(registry.url());
        int id = client.register("metrics.raw-value", SCRAPE);
        int again = client.register("metrics.raw-value", SCRAPE);
        Schema byId = client.schemaById(id);

        assertThat(again).isEqualTo(id);
        assertThat(byId).isEqualTo(SCRAPE);
        assertThat(registry.requests()).as("second register and the id lookup come from the cache").isEqualTo(1);
        assertThat(registry.lastContentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void fetchesSchemaByIdRegisteredElsewhere() {
        int id = registry.preRegister("alerts-value", ALERT);
        RestSchemaRegistryClient client = client(registry.url());

        assertThat(client.schemaById(id)).isEqualTo(ALERT);
        assertThat(client.schemaById(id)).isEqualTo(ALERT);
        assertThat(registry.requests()).isEqualTo(1);
    }

    @Test
    void sameSchemaUnderTwoSubjectsHasOneGlobalId() {
        RestSchemaRegistryClient client = client(registry.url());
        assertThat(client.register("a-value", ALERT)).isEqualTo(client.register("b-value", ALERT));
    }

    @Test
    void unknownIdIsNotFound40403() {
        assertThatThrownBy(() -> client(registry.url()).schemaById(4242))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.notFound()).isTrue();
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("Schema 4242 not found");
                });
    }

    @Test
    void lookupOfUnknownSubjectIs40401() {
        assertThatThrownBy(() -> client(registry.url()).lookup("nothing-value", SCRAPE))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }

    @Test
    void lookupOfUnregisteredSchemaIs40403AndOfRegisteredOneGivesItsId() {
        int id = registry.preRegister("alerts-value", ALERT);
        RestSchemaRegistryClient client = client(registry.url());

        assertThatThrownBy(() -> client.lookup("alerts-value", SCRAPE))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThat(client.lookup("alerts-value", ALERT)).isEqualTo(id);
    }

    @Test
    void incompatibleSchemaIs409() {
        registry.preRegister("metrics.raw-value", ALERT);
        registry.rejectNewVersionsOf("metrics.raw-value");

        assertThatThrownBy(() -> client(registry.url()).register("metrics.raw-value", SCRAPE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e.getMessage()).contains("incompatible with an earlier schema");
                });
    }

    @Test
    void invalidSchemaIs42201() {
        registry.rejectSchemasOf("x-value");
        assertThatThrownBy(() -> client(registry.url()).register("x-value", SCRAPE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 503})
    void serverErrorsFailOverToTheNextUrl(int status) throws Exception {
        try (FakeSchemaRegistry broken = FakeSchemaRegistry.start()) {
            broken.failWith(status);
            RestSchemaRegistryClient client = client(broken.url(), registry.url());

            int id = client.register("metrics.raw-value", SCRAPE);

            assertThat(broken.requests()).isEqualTo(1);
            assertThat(client(registry.url()).schemaById(id)).isEqualTo(SCRAPE);
        }
    }

    @Test
    void unreachableRegistryIsRetriableError() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> client("http://127.0.0.1:" + freePort).schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.retriable()).isTrue();
                });
    }

    @Test
    void worksUnderABasePathLikeApicurioCcompat() throws Exception {
        try (FakeSchemaRegistry apicurio = FakeSchemaRegistry.startUnder("/apis/ccompat/v7")) {
            RestSchemaRegistryClient client = client(apicurio.url() + "/");
            int id = client.register("alerts-value", ALERT);
            assertThat(client(apicurio.url()).schemaById(id)).isEqualTo(ALERT);
        }
    }

    @Test
    void sendsBasicAuthentication() {
        new RestSchemaRegistryClient(List.of(registry.url()), "kprom:secret", Duration.ofSeconds(5))
                .register("alerts-value", ALERT);
        assertThat(registry.lastAuthorization()).isEqualTo("Basic a3Byb206c2VjcmV0");
    }
}
