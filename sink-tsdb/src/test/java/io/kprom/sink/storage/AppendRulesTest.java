package io.kprom.sink.storage;

import static io.kprom.sink.storage.StoreFixture.readAll;
import static io.kprom.sink.storage.StoreFixture.timestamps;
import static io.kprom.sink.storage.StoreFixture.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.SampleArrays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Out-of-order, duplicate and too-old samples: each row appends samples one batch per array (with a
 * flush after every batch when {@code flushEachBatch}), then checks what is stored and what was counted.
 */
class AppendRulesTest {
    private static final Labels SERIES = Labels.of("__name__", "x", "job", "j");
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    record Row(String name, long oooWindowMillis, long[][] batches, double[][] values, long[] expectedTimestamps,
               double[] expectedValues, Map<RejectReason, Long> rejected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("in order", 0, new long[][] {{1, 2, 3}}, new double[][] {{1, 2, 3}}, new long[] {1, 2, 3},
                        new double[] {1, 2, 3}, Map.of()),
                row("out of order rejected without window", 0, new long[][] {{10, 20}, {15}},
                        new double[][] {{1, 2}, {9}}, new long[] {10, 20}, new double[] {1, 2},
                        Map.of(RejectReason.OUT_OF_ORDER, 1L)),
                row("out of order inside window merged", 10 * MINUTE, new long[][] {{10 * MINUTE, 20 * MINUTE}, {15 * MINUTE, 12 * MINUTE}},
                        new double[][] {{1, 2}, {9, 8}}, new long[] {10 * MINUTE, 12 * MINUTE, 15 * MINUTE, 20 * MINUTE},
                        new double[] {1, 8, 9, 2}, Map.of()),
                row("older than window rejected", 5 * MINUTE, new long[][] {{10 * MINUTE, 20 * MINUTE}, {14 * MINUTE, 16 * MINUTE}},
                        new double[][] {{1, 2}, {9, 8}}, new long[] {10 * MINUTE, 16 * MINUTE, 20 * MINUTE},
                        new double[] {1, 8, 2}, Map.of(RejectReason.OUT_OF_ORDER, 1L)),
                row("duplicate same value ignored", 0, new long[][] {{1, 2}, {2}}, new double[][] {{1, 2}, {2}},
                        new long[] {1, 2}, new double[] {1, 2}, Map.of()),
                row("duplicate different value counted", 0, new long[][] {{1, 2}, {2}}, new double[][] {{1, 2}, {5}},
                        new long[] {1, 2}, new double[] {1, 2}, Map.of(RejectReason.DUPLICATE_TIMESTAMP, 1L)),
                row("duplicate of an out-of-order sample", 10 * MINUTE, new long[][] {{5 * MINUTE, 9 * MINUTE}, {7 * MINUTE}, {7 * MINUTE, 7 * MINUTE}},
                        new double[][] {{1, 2}, {3}, {3, 4}}, new long[] {5 * MINUTE, 7 * MINUTE, 9 * MINUTE},
                        new double[] {1, 3, 2}, Map.of(RejectReason.DUPLICATE_TIMESTAMP, 1L)),
                row("duplicate inside the open chunk", 10 * MINUTE, new long[][] {{1, 2, 3}, {2}}, new double[][] {{1, 2, 3}, {7}},
                        new long[] {1, 2, 3}, new double[] {1, 2, 3}, Map.of(RejectReason.DUPLICATE_TIMESTAMP, 1L)),
                row("older than retention rejected", 0, new long[][] {{Duration.ofDays(20).toMillis()}, {Duration.ofDays(1).toMillis()}},
                        new double[][] {{1}, {2}}, new long[] {Duration.ofDays(20).toMillis()}, new double[] {1},
                        Map.of(RejectReason.TOO_OLD, 1L)));
    }

    private static Arguments row(String name, long window, long[][] batches, double[][] values, long[] expectedT,
                                 double[] expectedV, Map<RejectReason, Long> rejected) {
        return Arguments.of(new Row(name, window, batches, values, expectedT, expectedV, rejected));
    }

    @ParameterizedTest(name = "{0} (flush each batch: {1})")
    @MethodSource("withAndWithoutFlush")
    void appendRules(Row row, boolean flushEachBatch) {
        StoreOptions options = StoreOptions.builder().outOfOrderWindow(Duration.ofMillis(row.oooWindowMillis()))
                .flushInterval(flushEachBatch ? Duration.ZERO : Duration.ofHours(1)).build();
        try (SeriesStore store = SeriesStore.open(dir, options)) {
            Appender appender = store.appender();
            for (int b = 0; b < row.batches().length; b++) {
                appender.append(SERIES, row.batches()[b], row.values()[b], row.batches()[b].length);
                appender.commit(Map.of());
            }
            SampleArrays samples = readAll(store).get(SERIES);
            assertThat(timestamps(samples)).containsExactly(row.expectedTimestamps());
            assertThat(values(samples)).containsExactly(row.expectedValues());
            Map<RejectReason, Long> expected = new EnumMap<>(RejectReason.class);
            for (RejectReason reason : RejectReason.values()) {
                expected.put(reason, row.rejected().getOrDefault(reason, 0L));
            }
            assertThat(store.rejectedSamples()).isEqualTo(expected);
        }
        // After reopening, the same samples are there.
        try (SeriesStore store = SeriesStore.open(dir, options)) {
            assertThat(timestamps(readAll(store).get(SERIES))).containsExactly(row.expectedTimestamps());
        }
    }

    static Stream<Arguments> withAndWithoutFlush() {
        return rows().flatMap(args -> Stream.of(Arguments.of(args.get()[0], true), Arguments.of(args.get()[0], false)));
    }
}
