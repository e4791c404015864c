package io.kprom.sink.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TombstonesTest {
    static Stream<Arguments> merges() {
        return Stream.of(
                Arguments.of("first interval", new long[0], 5, 10, new long[] {5, 10}),
                Arguments.of("disjoint after", new long[] {1, 2}, 5, 10, new long[] {1, 2, 5, 10}),
                Arguments.of("disjoint before", new long[] {20, 30}, 5, 10, new long[] {5, 10, 20, 30}),
                Arguments.of("overlap merges", new long[] {1, 6}, 5, 10, new long[] {1, 10}),
                Arguments.of("adjacent merges", new long[] {1, 4}, 5, 10, new long[] {1, 10}),
                Arguments.of("bridges two", new long[] {1, 4, 12, 20}, 5, 11, new long[] {1, 20}),
                Arguments.of("contained", new long[] {1, 100}, 5, 10, new long[] {1, 100}),
                Arguments.of("unbounded", new long[] {1, 2}, Long.MIN_VALUE, Long.MAX_VALUE, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void addMergesIntervals(String name, long[] existing, long min, long max, long[] expected) {
        long[] merged = Tombstones.add(existing, min, max);
        assertThat(merged).containsExactly(expected);
        for (long t = min; t <= Math.min(max, min + 20) && t >= min; t++) {
            assertThat(Tombstones.deleted(merged, t)).isTrue();
        }
    }
}
