package io.kprom.sink.storage;

import static io.kprom.sink.storage.StoreFixture.PARTITION;
import static io.kprom.sink.storage.StoreFixture.append;
import static io.kprom.sink.storage.StoreFixture.readAll;
import static io.kprom.sink.storage.StoreFixture.timestamps;
import static io.kprom.sink.storage.StoreFixture.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.SampleArrays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksSeriesStoreTest {
    private static final Labels UP = Labels.of("__name__", "up", "job", "node", "instance", "a:9100");
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    @TempDir
    Path dir;

    private static StoreOptions smallChunks() {
        return StoreOptions.builder().chunkMaxSamples(4).flushInterval(Duration.ZERO).build();
    }

    @Test
    void samplesAreReadBackAcrossChunksBlocksFlushesAndReopen() {
        long[] t = new long[30];
        double[] v = new double[30];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 15_000L * 60; // 15 min apart: 30 samples span several 2h blocks
            v[i] = i * 1.5;
        }
        try (SeriesStore store = SeriesStore.open(dir, smallChunks())) {
            Appender appender = store.appender();
            assertThat(appender.append(UP, t, v, 13)).isEqualTo(13);
            appender.commit(Map.of(PARTITION, 7L));
            assertThat(appender.append(UP, java.util.Arrays.copyOfRange(t, 13, 30),
                    java.util.Arrays.copyOfRange(v, 13, 30), 17)).isEqualTo(17);
            SampleArrays beforeCommit = readAll(store).get(UP);
            assertThat(timestamps(beforeCommit)).containsExactly(t);
            appender.commit(Map.of(PARTITION, 9L));
            assertThat(store.committedOffsets()).containsEntry(PARTITION, 9L);
        }
        try (SeriesStore store = SeriesStore.open(dir, smallChunks())) {
            assertThat(store.committedOffsets()).containsEntry(PARTITION, 9L);
            SampleArrays samples = readAll(store).get(UP);
            assertThat(timestamps(samples)).containsExactly(t);
            assertThat(values(samples)).containsExactly(v);
            // Appending after reopen continues the series.
            assertThat(append(store, UP, t[29] + 1000, 99)).isEqualTo(1);
            assertThat(append(store, UP, t[29], 43.5)).isZero();
            assertThat(readAll(store).get(UP).length()).isEqualTo(31);
        }
    }

    @Test
    void staleMarkerIsStoredBitExact() {
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
            append(store, UP, new long[] {1000, 2000, 3000}, new double[] {1, STALE, 2});
            SampleArrays samples = readAll(store).get(UP);
            assertThat(Double.doubleToRawLongBits(samples.value(1))).isEqualTo(0x7ff0000000000002L);
        }
    }

    @Test
    void uncommittedSamplesAreNotDurable() {
        try (SeriesStore store = SeriesStore.open(dir, smallChunks())) {
            Appender appender = store.appender();
            appender.append(UP, new long[] {1000}, new double[] {1}, 1);
            appender.commit(Map.of(PARTITION, 1L));
            appender.append(UP, new long[] {2000}, new double[] {2}, 1);
            // No commit: close must not flush the half-finished batch, but closing happens from
            // another thread in real life; here the writer thread holds the lock, so emulate a crash
            // by closing from a different thread.
            Thread closer = new Thread(store::close);
            closer.start();
            try {
                closer.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        try (SeriesStore store = SeriesStore.open(dir, smallChunks())) {
            assertThat(store.committedOffsets()).containsEntry(PARTITION, 1L);
            assertThat(timestamps(readAll(store).get(UP))).containsExactly(1000);
        }
    }

    @Test
    void statsCountSeriesAndLabels() {
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
            for (int i = 0; i < 5; i++) {
                append(store, Labels.of("__name__", "a", "i", "" + i), 1000, 1);
            }
            append(store, Labels.of("__name__", "b", "i", "0"), 1000, 1);
            TsdbStats stats = store.stats(10);
            assertThat(stats.headStats().numSeries()).isEqualTo(6);
            assertThat(stats.seriesCountByMetricName()).containsExactly(new TsdbStats.Entry("a", 5), new TsdbStats.Entry("b", 1));
            assertThat(stats.labelValueCountByLabelName().get(0)).isEqualTo(new TsdbStats.Entry("i", 5));
            assertThat(stats.seriesCountByLabelValuePair().get(0)).isEqualTo(new TsdbStats.Entry("__name__=a", 5));
            assertThat(stats.headStats().minTime()).isEqualTo(1000);
            assertThat(stats.headStats().maxTime()).isEqualTo(1000);
        }
    }

    @Test
    void labelNamesAndValuesFollowMatchers() {
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
            append(store, Labels.of("__name__", "a", "job", "x", "zone", "1"), 1000, 1);
            append(store, Labels.of("__name__", "b", "job", "y"), 1000, 1);
            try (var querier = store.queryable().querier(0, 5000)) {
                assertThat(querier.labelValues("job", java.util.List.of())).containsExactly("x", "y");
                assertThat(querier.labelValues("job", java.util.List.of(LabelMatcher.equal("__name__", "b"))))
                        .containsExactly("y");
                assertThat(querier.labelNames(java.util.List.of(LabelMatcher.equal("__name__", "b"))))
                        .containsExactly("__name__", "job");
            }
        }
    }
}
