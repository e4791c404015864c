package io.kprom.sink.storage;

import static io.kprom.sink.storage.StoreFixture.read;
import static io.kprom.sink.storage.StoreFixture.timestamps;
import static io.kprom.sink.storage.StoreFixture.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.SampleArrays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads served from the head's chunks (flushed chunks kept in memory, cut and open chunks) agree with
 * what was written, whether a range lies wholly in the head, reaches back past it to chunks only on
 * disk, or meets out-of-order chunks on disk; before and after a reopen.
 */
class HeadReadTest {
    private static final Labels SERIES = Labels.of("__name__", "requests_total", "job", "api");
    private static final long STEP = 15_000;
    private static final long FIFTEEN_MINUTES = 15 * 60_000;
    private static final int SAMPLES = 480; // two hours at 15 s: more than the head keeps

    @TempDir
    Path dir;

    private static StoreOptions options(Duration headChunkRetention) {
        return StoreOptions.builder().chunkMaxSamples(8).flushInterval(Duration.ZERO)
                .outOfOrderWindow(Duration.ofMinutes(10)).headChunkRetention(headChunkRetention).build();
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("in order, read while running", false, false, Duration.ofMinutes(15)),
                Arguments.of("in order, read after reopen", false, true, Duration.ofMinutes(15)),
                Arguments.of("in order, head keeps no flushed chunk", false, false, Duration.ZERO),
                Arguments.of("out-of-order samples flushed, read while running", true, false, Duration.ofMinutes(15)),
                Arguments.of("out-of-order samples flushed, read after reopen", true, true, Duration.ofMinutes(15)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyRangeReadsExactlyWhatWasWritten(String name, boolean outOfOrder, boolean reopen,
            Duration headChunkRetention) {
        TreeMap<Long, Double> expected = new TreeMap<>();
        SeriesStore store = SeriesStore.open(dir, options(headChunkRetention));
        try {
            Appender appender = store.appender();
            for (int i = 0; i < SAMPLES; i++) {
                long t = i * STEP;
                // Odd samples of every tenth chunk-length stretch arrive late (within the window), as a batch.
                boolean late = outOfOrder && i % 40 >= 30 && i % 2 == 1;
                if (!late) {
                    appendOne(appender, t, i * 2.0, expected);
                }
                if (outOfOrder && i % 40 == 39) {
                    for (int j = i - 8; j <= i; j += 2) {
                        appendOne(appender, j * STEP, j * 2.0, expected);
                    }
                }
            }
            if (reopen) {
                store.close();
                store = SeriesStore.open(dir, options(headChunkRetention));
            }
            long last = (SAMPLES - 1) * STEP;
            for (long from : new long[] {0, last - 119 * 60_000, last - 20 * 60_000, last - 14 * 60_000,
                    last - 5 * 60_000, last - 7_000, last}) {
                for (long to : new long[] {from + 60_000, from + 16 * 60_000, last, last + 60_000}) {
                    assertRange(store, from, to, expected);
                }
            }
            // Appending after the reads (and after a reopen: the newest chunk is resumed) keeps every range whole.
            appendOne(appender(store, reopen, appender), SAMPLES * STEP, 1.5, expected);
            assertRange(store, 0, SAMPLES * STEP, expected);
            assertRange(store, (SAMPLES - 10) * STEP, SAMPLES * STEP, expected);
        } finally {
            store.close();
        }
    }

    @Test
    void headKeepsFlushedChunksForFifteenMinutesOnly() {
        try (SeriesStore store = SeriesStore.open(dir, options(Duration.ofMinutes(15)))) {
            Appender appender = store.appender();
            TreeMap<Long, Double> expected = new TreeMap<>();
            for (int i = 0; i < SAMPLES; i++) {
                appendOne(appender, i * STEP, i, expected);
            }
            MemSeries series = ((RocksSeriesStore) store).seriesById.values().iterator().next();
            MemSeries.HeadSnapshot head = series.snapshot();
            long last = (SAMPLES - 1) * STEP;
            assertThat(head.headFrom()).isLessThanOrEqualTo(last - FIFTEEN_MINUTES)
                    .isGreaterThan(last - FIFTEEN_MINUTES - 8 * STEP);
            assertThat(head.flushed()).isNotEmpty();
            assertThat(head.flushed().get(0).minTime()).isEqualTo(head.headFrom());
            assertThat(head.cut()).isEmpty();
            assertThat(head.outOfOrderOnDisk()).isFalse();
        }
    }

    @Test
    void retentionDropsTheHeadsFlushedChunksOfDeletedBlocks() {
        StoreOptions options = StoreOptions.builder().chunkMaxSamples(8).flushInterval(Duration.ZERO)
                .retentionTime(Duration.ofHours(2)).build();
        long hour = 3_600_000;
        Labels other = Labels.of("__name__", "other", "job", "api");
        try (SeriesStore store = SeriesStore.open(dir, options)) {
            Appender appender = store.appender();
            TreeMap<Long, Double> expected = new TreeMap<>();
            for (long t = 0; t < hour; t += STEP) {
                appendOne(appender, t, t, expected);
            }
            // The series goes on in a later block, and another series moves the store's time past
            // retention: the first block goes, though the head still holds its newest chunk.
            appendOne(appender, 4 * hour + hour / 2, 1, expected);
            appender.append(other, new long[] {5 * hour}, new double[] {2}, 1);
            appender.commit(Map.of());
            MemSeries series = ((RocksSeriesStore) store).seriesById.get(0);
            assertThat(series.snapshot().flushed()).isNotEmpty();
            store.enforceRetention();
            long headFrom = series.snapshot().headFrom();
            assertThat(headFrom).isLessThan(hour);
            Map<Labels, SampleArrays> result = read(store, headFrom, 6 * hour,
                    LabelMatcher.equal("__name__", "requests_total"));
            assertThat(timestamps(result.get(SERIES))).containsExactly(4 * hour + hour / 2);
            assertThat(timestamps(read(store, 0, 6 * hour, LabelMatcher.equal("__name__", "requests_total"))
                    .get(SERIES))).containsExactly(4 * hour + hour / 2);
        }
    }

    private static Appender appender(SeriesStore store, boolean reopened, Appender current) {
        return reopened ? store.appender() : current;
    }

    private static void appendOne(Appender appender, long t, double v, Map<Long, Double> expected) {
        assertThat(appender.append(SERIES, new long[] {t}, new double[] {v}, 1)).isEqualTo(1);
        appender.commit(Map.of());
        expected.put(t, v);
    }

    private static void assertRange(SeriesStore store, long from, long to, TreeMap<Long, Double> expected) {
        Map<Labels, SampleArrays> result = read(store, from, to, LabelMatcher.equal("job", "api"));
        List<Long> wantTimes = List.copyOf(expected.subMap(from, true, to, true).keySet());
        if (wantTimes.isEmpty()) {
            assertThat(result).as("[%d, %d]", from, to).isEmpty();
            return;
        }
        SampleArrays samples = result.get(SERIES);
        assertThat(samples).as("[%d, %d]", from, to).isNotNull();
        assertThat(timestamps(samples)).as("timestamps in [%d, %d]", from, to)
                .containsExactly(wantTimes.stream().mapToLong(Long::longValue).toArray());
        assertThat(values(samples)).as("values in [%d, %d]", from, to)
                .containsExactly(expected.subMap(from, true, to, true).values().stream()
                        .mapToDouble(Double::doubleValue).toArray());
    }
}
