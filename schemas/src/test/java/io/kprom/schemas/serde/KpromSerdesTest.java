package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.ScrapeBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The default mode: Avro single-object encoding, no registry. */
class KpromSerdesTest {
    private static final String TOPIC = "metrics.raw";
    private final Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(Map.of());

    static Stream<Arguments> everyTopicValue() {
        return Stream.of(
                Arguments.of("ScrapeBatch", KpromSerdes.scrapeBatch(Map.of()), TestBatches.scrapeBatch(50)),
                Arguments.of("SeriesBatch", KpromSerdes.seriesBatch(Map.of()), TestBatches.seriesBatch()),
                Arguments.of("MetricMetadata", KpromSerdes.metricMetadata(Map.of()), TestBatches.metricMetadata()),
                Arguments.of("AlertEvent", KpromSerdes.alertEvent(Map.of()), TestBatches.alertEvent()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyTopicValue")
    <T> void roundTripsEveryTopicValue(String name, Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(value);
    }

    @Test
    void writesTheAvroSpecHeader() {
        byte[] bytes = serde.serializer().serialize(TOPIC, TestBatches.scrapeBatch(3));

        long fingerprint = SchemaNormalization.parsingFingerprint64(ScrapeBatch.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(fingerprint);
    }

    @Test
    void interoperatesWithAvrosOwnMessageEncoding() throws Exception {
        ScrapeBatch batch = TestBatches.scrapeBatch(20);
        ByteBuffer avroEncoded = ScrapeBatch.getEncoder().encode(batch);
        byte[] ours = serde.serializer().serialize(TOPIC, batch);

        assertThat(serde.deserializer().deserialize(TOPIC, toArray(avroEncoded))).isEqualTo(batch);
        assertThat(ScrapeBatch.getDecoder().decode(ours)).isEqualTo(batch);
    }

    @Test
    void nullStaysNull() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    static Stream<Arguments> badValues() {
        byte[] good = KpromSerdes.scrapeBatch(Map.of()).serializer().serialize(TOPIC, TestBatches.scrapeBatch(5));
        byte[] alert = KpromSerdes.alertEvent(Map.of()).serializer().serialize("alerts", TestBatches.alertEvent());
        return Stream.of(
                bad("empty", new byte[0], DecodeErrorReason.BAD_HEADER),
                bad("text", "hello world".getBytes(), DecodeErrorReason.BAD_HEADER),
                bad("header cut short", Arrays.copyOf(good, 6), DecodeErrorReason.BAD_HEADER),
                bad("Confluent format without a registry", new byte[] {0, 0, 0, 0, 7, 2, 4}, DecodeErrorReason.BAD_HEADER),
                bad("another type's fingerprint", alert, DecodeErrorReason.UNKNOWN_FINGERPRINT),
                bad("unknown fingerprint", with(good, b -> b[5] ^= 0x5A), DecodeErrorReason.UNKNOWN_FINGERPRINT),
                bad("body cut short", Arrays.copyOf(good, good.length - 3), DecodeErrorReason.CORRUPT_PAYLOAD),
                bad("trailing bytes", Arrays.copyOf(good, good.length + 4), DecodeErrorReason.CORRUPT_PAYLOAD),
                bad("huge array length", withBody(good, new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}),
                        DecodeErrorReason.CORRUPT_PAYLOAD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesFailWithTheirReason(String name, byte[] data, DecodeErrorReason reason) {
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, data))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(TOPIC);
    }

    @Test
    void randomBodiesBehindAValidHeaderOnlyEverFailAsDecodeExceptions() {
        byte[] good = serde.serializer().serialize(TOPIC, TestBatches.scrapeBatch(2));
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            byte[] data = withBody(good, body);
            try {
                serde.deserializer().deserialize(TOPIC, data);
            } catch (DecodeException e) {
                assertThat(e.reason()).isEqualTo(DecodeErrorReason.CORRUPT_PAYLOAD);
            }
        }
    }

    @Test
    void readsValuesWrittenWithTheReleasedSchema() throws Exception {
        var released = BundledSchemas.released("MetricMetadata");
        var writer = new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(released);
        var record = new org.apache.avro.generic.GenericData.Record(released);
        record.put("metricFamily", "up");
        record.put("type", new org.apache.avro.generic.GenericData.EnumSymbol(released.getField("type").schema(), "GAUGE"));
        record.put("help", "");
        record.put("unit", "");
        var out = new java.io.ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 1});
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(SchemaNormalization.parsingFingerprint64(released)).array());
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();

        MetricMetadata decoded = KpromSerdes.metricMetadata(Map.of()).deserializer().deserialize("metrics.metadata", out.toByteArray());
        assertThat(decoded.getMetricFamily()).isEqualTo("up");
        assertThat(decoded.getType().name()).isEqualTo("GAUGE");
    }

    @Test
    void alertSerdeRejectsScrapeBatches() {
        byte[] scrape = serde.serializer().serialize(TOPIC, TestBatches.scrapeBatch(1));
        Serde<AlertEvent> alerts = KpromSerdes.alertEvent(Map.of());
        assertThatThrownBy(() -> alerts.deserializer().deserialize("alerts", scrape))
                .isInstanceOfSatisfying(DecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecodeErrorReason.UNKNOWN_FINGERPRINT));
    }

    private static Arguments bad(String name, byte[] data, DecodeErrorReason reason) {
        return Arguments.of(name, data, reason);
    }

    private static byte[] with(byte[] data, java.util.function.Consumer<byte[]> change) {
        byte[] copy = data.clone();
        change.accept(copy);
        return copy;
    }

    private static byte[] withBody(byte[] valid, byte[] body) {
        byte[] data = Arrays.copyOf(valid, SingleObjectCodec.HEADER_LENGTH + body.length);
        System.arraycopy(body, 0, data, SingleObjectCodec.HEADER_LENGTH, body.length);
        return data;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

}
