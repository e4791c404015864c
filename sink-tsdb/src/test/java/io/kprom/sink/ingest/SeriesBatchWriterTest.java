package io.kprom.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SourcePartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesBatchWriterTest {
    /** A hand-written appender that records what reaches the store. */
    static final class RecordingAppender implements Appender {
        final List<String> appended = new ArrayList<>();

        @Override
        public int append(Labels labels, long[] timestampsMillis, double[] values, int count) {
            for (int i = 0; i < count; i++) {
                appended.add(labels + "@" + timestampsMillis[i] + "=" + values[i]);
            }
            return count;
        }

        @Override
        public void commit(Map<SourcePartition, Long> nextOffsets) {
        }
    }

    static Stream<Arguments> batches() {
        return Stream.of(
                Arguments.of("valid series", series(List.of("__name__", "up"), List.of(1L, 2L), List.of(1.0, 0.0)), 2, 0),
                Arguments.of("unsorted labels are sorted", series(List.of("job", "j", "__name__", "up"), List.of(1L), List.of(1.0)), 1, 0),
                Arguments.of("timestamps and values differ in length", series(List.of("__name__", "up"), List.of(1L, 2L), List.of(1.0)), 0, 2),
                Arguments.of("odd label list", series(List.of("__name__", "up", "job"), List.of(1L), List.of(1.0)), 0, 1),
                Arguments.of("no labels", series(List.of(), List.of(1L, 2L, 3L), List.of(1.0, 2.0, 3.0)), 0, 3),
                Arguments.of("empty series", series(List.of("__name__", "up"), List.of(), List.of()), 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void writesValidSeriesAndCountsTheRest(String name, Series series, int stored, int dropped) {
        SeriesBatchWriter writer = new SeriesBatchWriter();
        RecordingAppender appender = new RecordingAppender();
        Series valid = series(List.of("__name__", "ok"), List.of(5L), List.of(5.0));
        long accepted = writer.write(SeriesBatch.newBuilder().setSeries(List.of(series, valid)).build(), appender);
        assertThat(accepted).isEqualTo(stored + 1);
        assertThat(appender.appended).hasSize(stored + 1).last().isEqualTo("{__name__=\"ok\"}@5=5.0");
        assertThat(writer.dropped()).isEqualTo(dropped);
    }

    private static Series series(List<String> labels, List<Long> timestamps, List<Double> values) {
        return Series.newBuilder().setLabels(new ArrayList<>(labels)).setTimestamps(new ArrayList<>(timestamps))
                .setValues(new ArrayList<>(values)).build();
    }
}
