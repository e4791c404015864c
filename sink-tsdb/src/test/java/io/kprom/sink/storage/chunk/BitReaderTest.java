package io.kprom.sink.storage.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The word-at-a-time reader returns exactly the bits the writer wrote, at every alignment and width. */
class BitReaderTest {

    static Stream<Arguments> widths() {
        return Stream.of(
                Arguments.of("single bits", 1, 1),
                Arguments.of("up to a byte", 1, 8),
                Arguments.of("timestamps' widths", 7, 20),
                Arguments.of("any width", 0, 64),
                Arguments.of("full words", 64, 64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("widths")
    void readsWhatWasWrittenAtEveryOffset(String name, int minWidth, int maxWidth) {
        Random random = new Random(minWidth * 131L + maxWidth);
        for (int lead = 0; lead < 8; lead++) {
            BitWriter writer = new BitWriter(16);
            writer.writeBits(0, lead);
            int fields = 500;
            int[] widths = new int[fields];
            long[] values = new long[fields];
            for (int i = 0; i < fields; i++) {
                widths[i] = minWidth + random.nextInt(maxWidth - minWidth + 1);
                values[i] = widths[i] == 64 ? random.nextLong() : random.nextLong() & ((1L << widths[i]) - 1);
                writer.writeBits(values[i], widths[i]);
            }
            // The writer's buffer may be longer than its bits: the reader must stop at the limit it is given.
            BitReader reader = new BitReader(writer.buffer(), 0, writer.bitLength());
            assertThat(reader.readBits(lead)).isZero();
            for (int i = 0; i < fields; i++) {
                assertThat(reader.readBits(widths[i])).as("field %d (%d bits) after %d lead bits", i, widths[i], lead)
                        .isEqualTo(values[i]);
            }
        }
    }

    @Test
    void readsTheLastBitsOfAnExactlySizedBuffer() {
        byte[] bytes = {(byte) 0xA5, 0x0F, (byte) 0xF0};
        BitReader reader = new BitReader(bytes, 0, 24);
        assertThat(reader.readBits(3)).isEqualTo(0b101);
        assertThat(reader.readBits(21)).isEqualTo(0b0_0101_0000_1111_1111_0000L);
        assertThatThrownBy(() -> reader.readBits(1)).isInstanceOf(CorruptChunkException.class);
    }

    @Test
    void startsAtItsByteOffset() {
        byte[] bytes = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A};
        BitReader reader = new BitReader(bytes, 1, 72);
        assertThat(reader.readBits(4)).isZero();
        assertThat(reader.readBits(64)).isEqualTo(0x2030405060708090L);
        assertThat(reader.readBits(4)).isEqualTo(0xA);
    }
}
