package io.kprom.sink.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XorChunkTest {
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    /** The worked example of docs/format.md, derived bit by bit there (not from this encoder). */
    @Test
    void goldenBytes() {
        XorChunkEncoder encoder = new XorChunkEncoder();
        encoder.append(1000, 1.0);
        encoder.append(16000, 1.0);
        encoder.append(31000, 2.0);
        encoder.append(46001, STALE);
        assertThat(HexFormat.ofDelimiter(" ").formatHex(encoder.toBytes()))
                .isEqualTo("01 04 d0 0f 3f f0 00 00 00 00 00 00 e0 3a 98 30 97 ff e0 38 bd ff c0 00 00 00 00 00 08");
    }

    static Stream<Arguments> series() {
        Random random = new Random(7);
        long[] jitter = new long[120];
        double[] counter = new double[120];
        long t = 1_700_000_000_000L;
        double c = 1e6;
        for (int i = 0; i < 120; i++) {
            t += 15_000 + random.nextInt(7) - 3;
            c += random.nextInt(5000);
            jitter[i] = t;
            counter[i] = c;
        }
        double[] randomDoubles = new double[120];
        long[] huge = new long[120];
        for (int i = 0; i < 120; i++) {
            randomDoubles[i] = Double.longBitsToDouble(random.nextLong());
            huge[i] = i == 0 ? Long.MIN_VALUE / 4 : huge[i - 1] + (i % 2 == 0 ? 1 : Long.MAX_VALUE / 300);
        }
        // Deltas of delta of every width: 0, 7, 14, 20 and 64 bits, both signs.
        long[] widths = new long[120];
        long[] dods = {0, 5, -5, 100, -100, 5000, -5000, 100_000, -100_000, 10_000_000, -10_000_000};
        long delta = 30_000_000;
        widths[0] = 1_000_000;
        for (int i = 1; i < 120; i++) {
            delta += dods[i % dods.length];
            widths[i] = widths[i - 1] + delta;
        }
        return Stream.of(
                Arguments.of("one sample", new long[] {5}, new double[] {1.5}),
                Arguments.of("every delta-of-delta width", widths, counter),
                Arguments.of("constant every 15s", range(0, 15_000, 120), constant(120, 42)),
                Arguments.of("counter with jittered timestamps", jitter, counter),
                Arguments.of("random bit patterns incl. NaNs", range(0, 1000, 120), randomDoubles),
                Arguments.of("negative timestamps", range(-10_000_000, 7, 50), constant(50, -0.0)),
                Arguments.of("huge deltas need 64-bit dod", huge, constant(120, 1)),
                Arguments.of("stale markers and infinities", new long[] {1, 2, 3, 4, 5},
                        new double[] {STALE, Double.POSITIVE_INFINITY, STALE, Double.NaN, Double.NEGATIVE_INFINITY}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void roundTripsBitExact(String name, long[] timestamps, double[] values) {
        XorChunkEncoder encoder = new XorChunkEncoder();
        for (int i = 0; i < timestamps.length; i++) {
            encoder.append(timestamps[i], values[i]);
        }
        XorChunkEncoder.View view = encoder.view();
        byte[] bytes = encoder.toBytes();
        for (XorChunkDecoder decoder : new XorChunkDecoder[] {new XorChunkDecoder(bytes), view.decoder()}) {
            assertThat(decoder.count()).isEqualTo(timestamps.length);
            for (int i = 0; i < timestamps.length; i++) {
                assertThat(decoder.next()).isTrue();
                assertThat(decoder.timestamp()).isEqualTo(timestamps[i]);
                assertThat(decoder.valueBits()).isEqualTo(Double.doubleToRawLongBits(values[i]));
            }
            assertThat(decoder.next()).isFalse();
        }
        assertThat(XorChunkEncoder.resume(bytes).toBytes()).isEqualTo(bytes);
    }

    @Test
    void viewStaysValidWhileTheWriterAppends() {
        XorChunkEncoder encoder = new XorChunkEncoder();
        encoder.append(0, 1);
        encoder.append(10, 2);
        XorChunkEncoder.View view = encoder.view();
        for (int i = 2; i < 200; i++) {
            encoder.append(i * 10L, i * 3.7);
        }
        XorChunkDecoder decoder = view.decoder();
        assertThat(decoder.next() && decoder.next()).isTrue();
        assertThat(decoder.value()).isEqualTo(2.0);
        assertThat(decoder.next()).isFalse();
    }

    @Test
    void constantSeriesCostsAboutTwoBitsPerSample() {
        XorChunkEncoder encoder = new XorChunkEncoder();
        for (int i = 0; i < 120; i++) {
            encoder.append(i * 15_000L, 1);
        }
        // 64-bit first value, one 20-bit delta, then 1 bit dod + 1 bit value per sample.
        assertThat(encoder.toBytes().length).isLessThan(50);
    }

    /** The bulk decoder (the query path's) agrees bit for bit with the sample iterator, for any time window. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void bulkDecodingMatchesTheIterator(String name, long[] timestamps, double[] values) {
        XorChunkEncoder encoder = new XorChunkEncoder();
        for (int i = 0; i < timestamps.length; i++) {
            encoder.append(timestamps[i], values[i]);
        }
        byte[] bytes = encoder.toBytes();
        int n = timestamps.length;
        long[][] windows = {
                {Long.MIN_VALUE, Long.MAX_VALUE},
                {timestamps[n / 3], timestamps[(2 * n) / 3]},
                {timestamps[n - 1], Long.MAX_VALUE},
                {Long.MIN_VALUE, timestamps[0] - 1}};
        for (long[] window : windows) {
            long[] ts = new long[n + 1];
            double[] vs = new double[n + 1];
            // Through the encoder's view (the head) and the serialized bytes (the disk).
            for (ChunkDecoder decoder : new ChunkDecoder[] {encoder.view().decoder(), Chunks.decoder(bytes)}) {
                int written = decoder.decodeInto(window[0], window[1], ts, vs, 1);
                int expected = 1;
                for (int i = 0; i < n; i++) {
                    if (timestamps[i] >= window[0] && timestamps[i] <= window[1]) {
                        assertThat(ts[expected]).isEqualTo(timestamps[i]);
                        assertThat(Double.doubleToRawLongBits(vs[expected])).isEqualTo(Double.doubleToRawLongBits(values[i]));
                        expected++;
                    }
                }
                assertThat(written).as("window %d..%d", window[0], window[1]).isEqualTo(expected);
            }
        }
        // Iterating part-way and then bulk-decoding the rest continues where the iterator stopped.
        ChunkDecoder decoder = Chunks.decoder(bytes);
        assertThat(decoder.next()).isTrue();
        long[] ts = new long[n];
        double[] vs = new double[n];
        assertThat(decoder.decodeInto(Long.MIN_VALUE, Long.MAX_VALUE, ts, vs, 0)).isEqualTo(n - 1);
        if (n > 1) {
            assertThat(ts[0]).isEqualTo(timestamps[1]);
            assertThat(ts[n - 2]).isEqualTo(timestamps[n - 1]);
        }
    }

    @Test
    void truncatedChunkIsReportedAsCorrupt() {
        XorChunkEncoder encoder = new XorChunkEncoder();
        encoder.append(1, 1.5);
        encoder.append(2, 2.5);
        byte[] bytes = encoder.toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        XorChunkDecoder decoder = new XorChunkDecoder(truncated);
        assertThatThrownBy(() -> {
            while (decoder.next()) {
                decoder.timestamp();
            }
        }).isInstanceOf(CorruptChunkException.class);
        assertThatThrownBy(() -> new XorChunkDecoder(truncated).decodeInto(Long.MIN_VALUE, Long.MAX_VALUE, new long[2],
                new double[2], 0)).isInstanceOf(CorruptChunkException.class);
        assertThatThrownBy(() -> new XorChunkDecoder(new byte[] {7, 1, 0})).isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("unknown chunk encoding");
    }

    private static long[] range(long start, long step, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = start + i * step;
        }
        return out;
    }

    private static double[] constant(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }
}
