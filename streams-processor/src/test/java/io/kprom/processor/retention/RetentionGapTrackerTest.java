package io.kprom.processor.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionGapTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("metrics.raw", 0);
    private static final TopicPartition P1 = new TopicPartition("metrics.raw", 1);

    static Stream<Arguments> singleChecks() {
        return Stream.of(
                Arguments.of("committed below log start", Map.of(P0, 3L), Map.of(P0, 10L), List.of(new RetentionGap(P0, 3, 10))),
                Arguments.of("committed at log start", Map.of(P0, 10L), Map.of(P0, 10L), List.of()),
                Arguments.of("committed above log start", Map.of(P0, 12L), Map.of(P0, 10L), List.of()),
                Arguments.of("log start unknown", Map.of(P0, 3L), Map.of(), List.of()),
                Arguments.of("only partitions with a gap", Map.of(P0, 3L, P1, 5L), Map.of(P0, 4L, P1, 5L),
                        List.of(new RetentionGap(P0, 3, 4))),
                Arguments.of("several partitions", Map.of(P0, 0L, P1, 1L), Map.of(P0, 4L, P1, 7L),
                        List.of(new RetentionGap(P0, 0, 4), new RetentionGap(P1, 1, 7))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleChecks")
    void findsRecordsDeletedBeforeTheyWereRead(String name, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> logStart, List<RetentionGap> expected) {
        assertThat(new RetentionGapTracker().update(committed, logStart)).containsExactlyElementsOf(expected);
    }

    @Test
    void reportsAGapOnceAndOnlyTheNewPartWhenItGrows() {
        RetentionGapTracker tracker = new RetentionGapTracker();
        assertThat(tracker.update(Map.of(P0, 3L), Map.of(P0, 10L))).containsExactly(new RetentionGap(P0, 3, 10));
        assertThat(tracker.update(Map.of(P0, 3L), Map.of(P0, 10L))).isEmpty();
        assertThat(tracker.update(Map.of(P0, 3L), Map.of(P0, 15L))).containsExactly(new RetentionGap(P0, 10, 15));
        assertThat(tracker.update(Map.of(P0, 20L), Map.of(P0, 18L))).isEmpty();
        assertThat(tracker.update(Map.of(P0, 20L), Map.of(P0, 25L))).containsExactly(new RetentionGap(P0, 20, 25));
    }

    @Test
    void aGapCountsItsRecords() {
        assertThat(new RetentionGap(P0, 3, 10).records()).isEqualTo(7);
    }
}
