package io.kprom.sink.storage;

import static io.kprom.sink.storage.StoreFixture.append;
import static io.kprom.sink.storage.StoreFixture.readAll;
import static io.kprom.sink.storage.StoreFixture.timestamps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionAndTombstonesTest {
    private static final long HOUR = 3_600_000;
    private static final Labels A = Labels.of("__name__", "m", "s", "a");
    private static final Labels B = Labels.of("__name__", "m", "s", "b");

    @TempDir
    Path dir;

    private static StoreOptions options(Duration retention) {
        return StoreOptions.builder().retentionTime(retention).flushInterval(Duration.ZERO)
                .retentionCheckInterval(Duration.ofHours(1)).build();
    }

    /** Hourly samples from hour {@code from} to {@code to} (inclusive). */
    private static long[] hours(long from, long to) {
        return LongStream.rangeClosed(from, to).map(h -> h * HOUR).toArray();
    }

    static Stream<Arguments> retentionRows() {
        return Stream.of(
                // retention, hours of A, hours of B, first hour kept for A, B present?
                Arguments.of("nothing old enough", Duration.ofHours(48), 0, 10, 0, 10, 0L, true),
                Arguments.of("whole 2h blocks older than max-retention go", Duration.ofHours(5), 0, 10, 0, 10, 4L, true),
                Arguments.of("block boundary: partial block kept", Duration.ofHours(6), 0, 10, 0, 10, 4L, true),
                Arguments.of("series without remaining data is removed", Duration.ofHours(5), 0, 10, 0, 2, 4L, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retentionRows")
    void timeRetentionDeletesWholeBlocks(String name, Duration retention, long aFrom, long aTo, long bFrom, long bTo,
                                         long firstKept, boolean bPresent) {
        try (SeriesStore store = SeriesStore.open(dir, options(retention))) {
            long[] a = hours(aFrom, aTo);
            long[] b = hours(bFrom, bTo);
            append(store, A, a, new double[a.length]);
            append(store, B, b, new double[b.length]);
            store.enforceRetention();
            assertThat(timestamps(readAll(store).get(A))[0]).isEqualTo(firstKept * HOUR);
            assertThat(readAll(store).containsKey(B)).isEqualTo(bPresent);
            try (var querier = store.queryable().querier(0, Long.MAX_VALUE)) {
                assertThat(querier.labelValues("s", List.of())).containsExactlyElementsOf(bPresent ? List.of("a", "b") : List.of("a"));
            }
        }
        try (SeriesStore store = SeriesStore.open(dir, options(retention))) {
            assertThat(timestamps(readAll(store).get(A))[0]).isEqualTo(firstKept * HOUR);
            assertThat(store.stats(10).headStats().numSeries()).isEqualTo(bPresent ? 2 : 1);
        }
    }

    @Test
    void sizeRetentionDropsOldestBlocksButKeepsTheNewest() {
        StoreOptions options = options(Duration.ofDays(365)).toBuilder().retentionSizeBytes(1).build();
        try (SeriesStore store = SeriesStore.open(dir, options)) {
            long[] t = LongStream.range(0, 10 * 240).map(i -> i * 15_000).toArray(); // 10 h
            double[] v = new double[t.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.sin(i) * 1000;
            }
            append(store, A, t, v);
            store.compact();
            store.enforceRetention();
            long[] kept = timestamps(readAll(store).get(A));
            assertThat(kept[0]).isEqualTo(8 * HOUR);
            assertThat(kept[kept.length - 1]).isEqualTo(t[t.length - 1]);
        }
    }

    @Test
    void tombstonesHideSamplesAtOnceAndCleaningRemovesThem() {
        try (SeriesStore store = SeriesStore.open(dir, options(Duration.ofDays(15)))) {
            long[] t = hours(0, 9);
            append(store, A, t, new double[t.length]);
            append(store, B, t, new double[t.length]);
            store.deleteSeries(List.of(LabelMatcher.equal("s", "a")), 2 * HOUR, 4 * HOUR);
            store.deleteSeries(List.of(LabelMatcher.equal("s", "a")), 4 * HOUR, 5 * HOUR);
            assertThat(timestamps(readAll(store).get(A))).containsExactly(0, HOUR, 6 * HOUR, 7 * HOUR, 8 * HOUR, 9 * HOUR);
            assertThat(timestamps(readAll(store).get(B))).hasSize(10);
            long before = store.diskSizeBytes();
            store.cleanTombstones();
            assertThat(timestamps(readAll(store).get(A))).containsExactly(0, HOUR, 6 * HOUR, 7 * HOUR, 8 * HOUR, 9 * HOUR);
            // Appending continues after the rewrite.
            append(store, A, 10 * HOUR, 1);
            assertThat(timestamps(readAll(store).get(A))).hasSize(7);
            assertThat(before).isGreaterThanOrEqualTo(0);
        }
        try (SeriesStore store = SeriesStore.open(dir, options(Duration.ofDays(15)))) {
            assertThat(timestamps(readAll(store).get(A))).containsExactly(0, HOUR, 6 * HOUR, 7 * HOUR, 8 * HOUR, 9 * HOUR, 10 * HOUR);
        }
    }

    @Test
    void deletingEverythingOfASeriesHidesIt() {
        try (SeriesStore store = SeriesStore.open(dir, options(Duration.ofDays(15)))) {
            append(store, A, hours(0, 3), new double[4]);
            store.deleteSeries(List.of(LabelMatcher.equal("s", "a")), Long.MIN_VALUE, Long.MAX_VALUE);
            assertThat(readAll(store)).doesNotContainKey(A);
            store.cleanTombstones();
            assertThat(readAll(store)).doesNotContainKey(A);
        }
    }

    @Test
    void deleteSeriesValidatesItsArguments() {
        try (SeriesStore store = SeriesStore.open(dir, options(Duration.ofDays(15)))) {
            assertThatThrownBy(() -> store.deleteSeries(List.of(), 0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("matcher");
            assertThatThrownBy(() -> store.deleteSeries(List.of(LabelMatcher.equal("s", "a")), 2, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        }
    }

    @Test
    void snapshotIsAnOpenableCopy() {
        Path snapshot;
        try (SeriesStore store = SeriesStore.open(dir.resolve("live"), StoreOptions.defaults())) {
            Appender appender = store.appender();
            appender.append(A, new long[] {1000, 2000}, new double[] {1, 2}, 2);
            appender.commit(Map.of(StoreFixture.PARTITION, 5L));
            snapshot = store.snapshot(false);
            assertThat(snapshot.getParent()).isEqualTo(dir.resolve("live").resolve("snapshots"));
        }
        assertThat(Files.isDirectory(snapshot)).isTrue();
        try (SeriesStore copy = SeriesStore.open(snapshot, StoreOptions.defaults())) {
            assertThat(timestamps(readAll(copy).get(A))).containsExactly(1000, 2000);
            assertThat(copy.committedOffsets()).containsEntry(StoreFixture.PARTITION, 5L);
        }
    }
}
