package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.registry.FakeSchemaRegistry;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry mode: magic byte 0 + 4-byte schema id + Avro binary, against a fake registry on loopback. */
class ConfluentWireFormatTest {
    private FakeSchemaRegistry registry;
    private Map<String, Object> config;

    @BeforeEach
    void start() throws Exception {
        registry = FakeSchemaRegistry.start();
        config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void writesMagicByteAndRegisteredIdUnderTopicValueSubject() {
        byte[] bytes = KpromSerdes.scrapeBatch(config).serializer().serialize("metrics.raw", TestBatches.scrapeBatch(3));

        int id = registry.preRegister("metrics.raw-value", ScrapeBatch.getClassSchema());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void roundTripsAndCachesSoSteadyStateMakesNoCalls() {
        Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(config);
        ScrapeBatch batch = TestBatches.scrapeBatch(100);
        byte[] first = serde.serializer().serialize("metrics.raw", batch);
        assertThat(serde.deserializer().deserialize("metrics.raw", first)).isEqualTo(batch);
        int calls = registry.requests();

        for (int i = 0; i < 10; i++) {
            byte[] bytes = serde.serializer().serialize("metrics.raw", batch);
            assertThat(serde.deserializer().deserialize("metrics.raw", bytes)).isEqualTo(batch);
        }
        assertThat(registry.requests()).isEqualTo(calls);
    }

    @Test
    void aFreshConsumerFetchesTheWriterSchemaById() {
        byte[] bytes = KpromSerdes.alertEvent(config).serializer().serialize("alerts", TestBatches.alertEvent());
        // A different client configuration (another process, in effect) has an empty cache.
        Map<String, Object> otherClient = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url() + "/",
                SerdeConfig.REQUEST_TIMEOUT_MS, 5000);
        assertThat(KpromSerdes.alertEvent(otherClient).deserializer().deserialize("alerts", bytes))
                .isEqualTo(TestBatches.alertEvent());
    }

    @Test
    void readsSingleObjectEncodedValuesToo() {
        byte[] singleObject = KpromSerdes.scrapeBatch(Map.of()).serializer().serialize("metrics.raw", TestBatches.scrapeBatch(2));
        assertThat(KpromSerdes.scrapeBatch(config).deserializer().deserialize("metrics.raw", singleObject))
                .isEqualTo(TestBatches.scrapeBatch(2));
    }

    @Test
    void unknownSchemaIdIsCountedAsSuch() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 2};
        assertThatThrownBy(() -> KpromSerdes.scrapeBatch(config).deserializer().deserialize("metrics.raw", bytes))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeErrorReason.UNKNOWN_SCHEMA_ID))
                .hasMessageContaining("12345");
    }

    @Test
    void registryDownIsRegistryUnavailable() {
        int id = registry.preRegister("metrics.raw-value", ScrapeBatch.getClassSchema());
        registry.failWith(500);
        byte[] bytes = {0, 0, 0, 0, (byte) id, 0};
        Map<String, Object> fresh = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url() + "//");
        assertThatThrownBy(() -> KpromSerdes.scrapeBatch(fresh).deserializer().deserialize("metrics.raw", bytes))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeErrorReason.REGISTRY_UNAVAILABLE));
    }

    @Test
    void valueOfAnotherTypeIsWrongSchema() {
        byte[] alert = KpromSerdes.alertEvent(config).serializer().serialize("alerts", TestBatches.alertEvent());
        assertThatThrownBy(() -> KpromSerdes.scrapeBatch(config).deserializer().deserialize("metrics.raw", alert))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeErrorReason.WRONG_SCHEMA));
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaCannotBeWritten() {
        Map<String, Object> lookupOnly = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                SerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
        Serde<AlertEvent> serde = KpromSerdes.alertEvent(lookupOnly);
        assertThatThrownBy(() -> serde.serializer().serialize("alerts", TestBatches.alertEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("alerts-value")
                .hasMessageContaining("40401");

        int id = registry.preRegister("alerts-value", AlertEvent.getClassSchema());
        byte[] bytes = serde.serializer().serialize("alerts", TestBatches.alertEvent());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void incompatibleSubjectFailsTheProducerWithTheRegistryReason() {
        registry.preRegister("metrics.raw-value", AlertEvent.getClassSchema());
        registry.rejectNewVersionsOf("metrics.raw-value");
        assertThatThrownBy(() -> KpromSerdes.scrapeBatch(config).serializer().serialize("metrics.raw", TestBatches.scrapeBatch(1)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("409");
    }
}
