package io.kprom.processor.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class PassThroughSeriesSerdeTest {
    private static final Serde<SeriesBatch> KPROM = KpromSerdes.seriesBatch(Map.of());

    private static SeriesBatch batch(String name, double value) {
        List<Series> series = new ArrayList<>();
        series.add(new Series(new ArrayList<>(List.of("__name__", name, "job", "j")), List.of(1000L, 2000L),
                List.of(value, Double.longBitsToDouble(0x7ff0000000000002L)), null, null));
        series.add(new Series(new ArrayList<>(List.of("__name__", name + "_b", "le", "+Inf")), List.of(1000L), List.of(value),
                null, null));
        return new SeriesBatch(series);
    }

    @Test
    void unchangedBatchIsWrittenAsTheBytesItWasReadFrom() {
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(KPROM, 10);
        byte[] in = KPROM.serializer().serialize("series", batch("a", 1));
        SeriesBatch decoded = serde.deserializer().deserialize("series", in);
        assertThat(decoded).isInstanceOf(DecodedSeriesBatch.class);
        assertThat(decoded.getSeries()).isEqualTo(batch("a", 1).getSeries());
        assertThat(serde.serializer().serialize("samples", decoded)).isSameAs(in);
    }

    @Test
    void batchesDecodedOneAfterAnotherKeepTheirOwnBytes() {
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(KPROM, 10);
        byte[] first = KPROM.serializer().serialize("series", batch("a", 1));
        byte[] second = KPROM.serializer().serialize("series", batch("b", 2));
        SeriesBatch a = serde.deserializer().deserialize("series", first);
        SeriesBatch b = serde.deserializer().deserialize("series", second);
        assertThat(serde.serializer().serialize("samples", b)).isEqualTo(second);
        assertThat(serde.serializer().serialize("samples", a)).isEqualTo(first);
    }

    @Test
    void replacedSeriesAreEncodedAfresh() {
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(KPROM, 10);
        SeriesBatch decoded = serde.deserializer().deserialize("series", KPROM.serializer().serialize("series", batch("a", 1)));
        decoded.setSeries(batch("c", 3).getSeries());
        assertThat(serde.serializer().serialize("samples", decoded)).isEqualTo(KPROM.serializer().serialize("x", batch("c", 3)));

        SeriesBatch viaPut = serde.deserializer().deserialize("series", KPROM.serializer().serialize("series", batch("a", 1)));
        viaPut.put(0, batch("d", 4).getSeries());
        assertThat(serde.serializer().serialize("samples", viaPut)).isEqualTo(KPROM.serializer().serialize("x", batch("d", 4)));
    }

    @Test
    void seriesListOfADecodedBatchCannotBeChangedInPlace() {
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(KPROM, 10);
        SeriesBatch decoded = serde.deserializer().deserialize("series", KPROM.serializer().serialize("series", batch("a", 1)));
        assertThatThrownBy(() -> decoded.getSeries().remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void batchesNotDecodedHereAndNullsUseTheWrappedSerde() {
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(KPROM, 10);
        assertThat(serde.serializer().serialize("samples", batch("e", 5))).isEqualTo(KPROM.serializer().serialize("x", batch("e", 5)));
        assertThat(serde.deserializer().deserialize("series", null)).isNull();
    }

    @Test
    void inputWithAnotherHeaderThanTheWriterWritesIsReEncoded() {
        // A wrapped format with a version byte: it reads versions 1 and 2 but writes 1, so version-2 input must not pass through.
        Serializer<SeriesBatch> writesV1 = (topic, value) -> prefixed((byte) 1, KPROM.serializer().serialize(topic, value));
        Deserializer<SeriesBatch> readsAny = (topic, data) -> data == null ? null
                : KPROM.deserializer().deserialize(topic, Arrays.copyOfRange(data, 1, data.length));
        PassThroughSeriesSerde serde = new PassThroughSeriesSerde(Serdes.serdeFrom(writesV1, readsAny), 11);
        byte[] v2 = prefixed((byte) 2, KPROM.serializer().serialize("series", batch("f", 6)));
        SeriesBatch decoded = serde.deserializer().deserialize("series", v2);
        assertThat(decoded).isNotInstanceOf(DecodedSeriesBatch.class);
        assertThat(serde.serializer().serialize("samples", decoded)).isEqualTo(writesV1.serialize("samples", batch("f", 6)));
        byte[] v1 = writesV1.serialize("series", batch("g", 7));
        assertThat(serde.serializer().serialize("samples", serde.deserializer().deserialize("series", v1))).isSameAs(v1);
    }

    private static byte[] prefixed(byte version, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = version;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
