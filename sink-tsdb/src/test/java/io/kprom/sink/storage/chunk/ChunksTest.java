package io.kprom.sink.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunksTest {
    /** The decimal worked example of docs/format.md. */
    @Test
    void decimalGoldenBytes() {
        XorChunkEncoder chunk = new XorChunkEncoder();
        chunk.append(0, 1.5);
        chunk.append(15_000, 2.25);
        chunk.append(30_000, 3.0);
        assertThat(HexFormat.ofDelimiter(" ").formatHex(Chunks.finish(chunk)))
                .isEqualTo("02 03 00 02 00 00 00 00 00 00 00 96 e0 3a 98 c0 96 00");
    }

    static Stream<Arguments> chunks() {
        Random random = new Random(11);
        double[] cpuSeconds = new double[120];
        double[] bytes = new double[120];
        double[] noise = new double[120];
        double[] negativeZero = new double[120];
        double[] withStale = new double[120];
        double[] huge = new double[120];
        double c = 12_345.67;
        double b = 1e9;
        for (int i = 0; i < 120; i++) {
            c = Math.round((c + random.nextDouble() * 15) * 100) / 100.0;
            b += random.nextInt(2_000_000);
            cpuSeconds[i] = c;
            bytes[i] = b;
            noise[i] = random.nextDouble();
            negativeZero[i] = i == 5 ? -0.0 : i;
            withStale[i] = i == 60 ? Double.longBitsToDouble(0x7ff0000000000002L) : i;
            huge[i] = 1e300 * i;
        }
        return Stream.of(
                Arguments.of("cpu seconds with 0.01 resolution", cpuSeconds, 0x02),
                Arguments.of("byte counter with random 0-2 MB increments: XOR is smaller", bytes, 0x01),
                Arguments.of("random doubles stay XOR", noise, 0x01),
                Arguments.of("negative zero stays XOR", negativeZero, 0x01),
                Arguments.of("stale marker stays XOR", withStale, 0x01),
                Arguments.of("beyond 2^53 stays XOR", huge, 0x01));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunks")
    void finishPicksTheSmallerEncodingAndRoundTripsBitExact(String name, double[] values, int expectedEncoding) {
        XorChunkEncoder chunk = new XorChunkEncoder();
        long t = 1_700_000_000_000L;
        long[] timestamps = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            t += 15_000 + (i % 7 == 0 ? 3 : 0);
            timestamps[i] = t;
            chunk.append(t, values[i]);
        }
        byte[] finished = Chunks.finish(chunk);
        assertThat(finished[0]).isEqualTo((byte) expectedEncoding);
        assertThat(finished.length).isLessThanOrEqualTo(chunk.toBytes().length);
        ChunkDecoder decoder = Chunks.decoder(finished);
        assertThat(decoder.count()).isEqualTo(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timestamp()).isEqualTo(timestamps[i]);
            assertThat(decoder.valueBits()).isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        assertThat(decoder.next()).isFalse();
    }

    @Test
    void decimalEncodingIsMuchSmallerForCentiseconds() {
        XorChunkEncoder chunk = new XorChunkEncoder();
        double value = 1000;
        for (int i = 0; i < 120; i++) {
            value = Math.round((value + 14.87 + (i % 3) * 0.01) * 100) / 100.0;
            chunk.append(i * 15_000L, value);
        }
        assertThat(Chunks.finish(chunk).length).isLessThan(chunk.toBytes().length / 3);
    }
}
