package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.Exemplar;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.NativeHistogram;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written bodies must equal Avro's own encoding byte for byte, and read what Avro writes. */
class FastBodiesTest {
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    static Stream<Arguments> values() {
        NativeHistogram histogram = NativeHistogram.newBuilder().setTimestampMillis(-5).setSchema$(-3).setZeroThreshold(1e-128)
                .setZeroCount(2).setCount(10).setSum(-0.0).setPositiveSpans(List.of(0, 2, -1, 3))
                .setPositiveBuckets(List.of(1.0, 2.0, 3.0)).setNegativeSpans(List.of()).setNegativeBuckets(List.of())
                .setIntegerCounts(false).setResetHint(3).build();
        Exemplar exemplar = Exemplar.newBuilder().setLabels(List.of("trace_id", "ünïcödé-✓-𝄞")).setValue(Double.NaN)
                .setTimestampMillis(null).build();
        return Stream.of(
                Arguments.of("node exporter scrape", TestBatches.scrapeBatch(300)),
                Arguments.of("empty scrape", TestBatches.scrapeBatch(0)),
                Arguments.of("series batch with stale marker", TestBatches.seriesBatch()),
                Arguments.of("empty series batch", new SeriesBatch(List.of())),
                Arguments.of("failed scrape, remote write, null target", ScrapeBatch.newBuilder().setSource(BatchSource.REMOTE_WRITE)
                        .setTarget(null).setScrapeTimestampMillis(Long.MIN_VALUE)
                        .setOutcome(ScrapeOutcome.newBuilder().setOk(false).setError("connection refused: ß").setBodyBytes(Long.MAX_VALUE)
                                .setDurationSeconds(Double.NEGATIVE_INFINITY).setContentType("").build())
                        .setSeries(List.of(RawSeries.newBuilder().setLabels(List.of("__name__", "a", "long", "x".repeat(300)))
                                .setTimestamps(List.of(1L, -1L, 1L << 40)).setValues(List.of(STALE, -0.0, 1e308))
                                .setExplicitTimestamps(true).setCreatedTimestampMillis(0L).setExemplars(List.of(exemplar))
                                .setHistograms(List.of(histogram, histogram)).build()))
                        .setMetadata(List.of(MetricMetadata.newBuilder().setMetricFamily("a").setType(MetricType.STATESET)
                                .setHelp("help with \"quotes\" and ünicode").setUnit("seconds").build()))
                        .build()),
                // Latin-1 above ASCII, a char whose low byte is ASCII ('\u0141' -> 0x41), a surrogate pair, and a
                // non-ASCII char after a long ASCII prefix whose byte length needs a longer varint than its char count.
                Arguments.of("non-ASCII label strings", new SeriesBatch(List.of(new Series(
                        List.of("__name__", "caf\u00e9", "a", "\u0141\u0100", "b", "ascii-then-\u00fc", "c", "\u20ac \ud834\udd1e",
                                "d", "x".repeat(62) + "\u00df", "e", "y".repeat(200) + "\u00e9"),
                        List.of(1L), List.of(1.0), null, null)))),
                Arguments.of("series with exemplars and histograms", new SeriesBatch(List.of(
                        new Series(List.of("__name__", "h"), List.of(7L), List.of(STALE), List.of(exemplar), List.of(histogram)),
                        new Series(List.of(), List.of(), List.of(), List.of(), null)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void encodesExactlyAsAvro(String name, SpecificRecord value) throws IOException {
        assertThat(fastEncode(value)).isEqualTo(avroEncode(value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void decodesWhatAvroWrites(String name, SpecificRecord value) throws IOException {
        Object decoded = fastDecode(value.getSchema(), avroEncode(value));
        // Avro's record equality treats an exemplar's NaN value as unequal to itself; compare content instead.
        assertThat(decoded.toString()).isEqualTo(value.toString());
        assertThat(fastEncode((SpecificRecord) decoded)).isEqualTo(avroEncode(value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void decodesBlockedArraysWithByteSizes(String name, SpecificRecord value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().blockingBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, encoder);
        encoder.flush();
        Object decoded = fastDecode(value.getSchema(), out.toByteArray());
        assertThat(decoded.toString()).isEqualTo(value.toString());
        assertThat(fastEncode((SpecificRecord) decoded)).isEqualTo(avroEncode(value));
    }

    @Test
    void unpairedSurrogatesAreEncodedAsAvroEncodesThem() throws IOException {
        // Java's UTF-8 encoder writes '?' for an unpaired surrogate; so must the hand-written codec.
        SeriesBatch batch = new SeriesBatch(List.of(new Series(List.of("a", "lone \ud834 high", "b", "lone \udd1e low", "c", "\ud834"),
                List.of(1L), List.of(1.0), null, null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(batch.getSchema()).write(batch, encoder);
        encoder.flush();
        assertThat(fastEncode(batch)).isEqualTo(out.toByteArray()).contains((byte) '?');
    }

    @Test
    void repeatedLabelStringsAreTheSameInstances() {
        byte[] bytes = fastEncode(TestBatches.scrapeBatch(20));
        ScrapeBatch first = (ScrapeBatch) fastDecode(ScrapeBatch.getClassSchema(), bytes);
        ScrapeBatch second = (ScrapeBatch) fastDecode(ScrapeBatch.getClassSchema(), bytes);
        assertThat(second.getSeries().get(3).getLabels().get(0)).isSameAs(first.getSeries().get(3).getLabels().get(0));
        assertThat(second.getSeries().get(3).getLabels().get(3)).isSameAs(first.getSeries().get(5).getLabels().get(3));
    }

    @Test
    void truncatedOrPaddedBodiesAreCorruptPayloads() {
        var serde = KpromSerdes.scrapeBatch(Map.of());
        byte[] good = serde.serializer().serialize("t", TestBatches.scrapeBatch(10));
        for (byte[] bad : List.of(Arrays.copyOf(good, good.length - 3), Arrays.copyOf(good, good.length + 2),
                Arrays.copyOf(good, SingleObjectCodec.HEADER_LENGTH + 1))) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("t", bad))
                    .isInstanceOfSatisfying(DecodeException.class,
                            e -> assertThat(e.reason()).isEqualTo(DecodeErrorReason.CORRUPT_PAYLOAD));
        }
        // A series array claiming ~2^62 items: must fail without allocating.
        assertThatThrownBy(() -> AvroBodies.read("t", FastBodies.SERIES_BATCH,
                new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0x7f}, 0))
                .isInstanceOf(DecodeException.class);
        assertThat(serde.deserializer().deserialize("t", good)).isEqualTo(TestBatches.scrapeBatch(10));
    }

    private static byte[] fastEncode(SpecificRecord value) {
        AvroBinaryOutput out = AvroBinaryOutput.forThread();
        FastBodies.forSchema(value.getSchema()).write(value, out);
        return out.toByteArray();
    }

    private static Object fastDecode(Schema schema, byte[] bytes) {
        return AvroBodies.read("t", FastBodies.forSchema(schema), bytes, 0);
    }

    private static byte[] avroEncode(SpecificRecord value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, encoder);
        encoder.flush();
        byte[] bytes = out.toByteArray();
        // Sanity: Avro reads its own bytes back to the value.
        assertThat(new SpecificDatumReader<SpecificRecord>(value.getSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null))).isEqualTo(value);
        return bytes;
    }
}
