package io.kprom.processor.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.series.SeriesShards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesBudgetTest {
    private static final int SHARDS = 2;

    private static SeriesLimits limits(long global, long job) {
        return new SeriesLimits(global, 0, job == 0 ? Map.of() : Map.of("bomb", job), Duration.ofMinutes(5), 10);
    }

    /** The first {@code count} hashes (0, 1, 2, ...) that fall into {@code shard}. */
    private static long[] hashesIn(int shard, int count) {
        long[] hashes = new long[count];
        int found = 0;
        for (long hash = 0; found < count; hash++) {
            if (SeriesShards.shardOf(hash, SHARDS) == shard) {
                hashes[found++] = hash;
            }
        }
        return hashes;
    }

    static Stream<Arguments> newSeriesCases() {
        return Stream.of(
                Arguments.of("no limit: every series passes", limits(0, 0), 5, 5),
                Arguments.of("job limit 6 over 2 shards: 3 new series per shard", limits(0, 6), 5, 3),
                Arguments.of("job limit 5 rounds up to 3 per shard", limits(0, 5), 5, 3),
                Arguments.of("global limit 2 is stricter than job limit 6: 1 per shard", limits(2, 6), 5, 1),
                Arguments.of("job limit 2 is stricter than global limit 8: 1 per shard", limits(8, 2), 5, 1),
                Arguments.of("global limit alone applies to every job", limits(4, 0), 5, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newSeriesCases")
    void newSeriesPassUpToThePerShardLimitInEachShard(String name, SeriesLimits limits, int perShardOffered,
            int perShardPassed) {
        SeriesBudget budget = SeriesBudget.forJob(limits, "bomb", SHARDS);
        for (int shard = 0; shard < SHARDS; shard++) {
            List<String> reasons = new ArrayList<>();
            for (long hash : hashesIn(shard, perShardOffered)) {
                reasons.add(budget.take(hash, false));
            }
            long passed = reasons.stream().filter(reason -> reason == null).count();
            assertThat(passed).as("shard %d", shard).isEqualTo(perShardPassed);
            // Passing is a prefix: the first series of a scrape win, as in the series stage.
            assertThat(reasons.subList(0, perShardPassed)).containsOnlyNulls();
            assertThat(reasons.subList(perShardPassed, perShardOffered)).allMatch("series_limit"::equals);
        }
    }

    @Test
    void seriesTheTargetSentLastScrapeAlwaysPassEvenIntoAFullShard() {
        SeriesBudget budget = SeriesBudget.forJob(limits(0, 4), "bomb", SHARDS);
        long[] shard0 = hashesIn(0, 5);
        assertThat(budget.take(shard0[0], false)).isNull();
        assertThat(budget.take(shard0[1], false)).isNull();
        assertThat(budget.take(shard0[2], false)).isEqualTo("series_limit");
        assertThat(budget.take(shard0[3], true)).isNull();
        assertThat(budget.take(shard0[4], true)).isNull();
        // The other shard's budget is untouched.
        assertThat(budget.take(hashesIn(1, 1)[0], false)).isNull();
    }

    @Test
    void jobWithoutItsOwnLimitUsesTheDefaultJobLimit() {
        SeriesLimits limits = new SeriesLimits(0, 2, Map.of("other", 100L), Duration.ofMinutes(5), 10);
        SeriesBudget budget = SeriesBudget.forJob(limits, "bomb", SHARDS);
        long[] shard1 = hashesIn(1, 2);
        assertThat(budget.take(shard1[0], false)).isNull();
        assertThat(budget.take(shard1[1], false)).isEqualTo("series_limit");
    }

    @Test
    void noTargetTracksMoreSeriesThanItsStateRecordHolds() {
        SeriesBudget budget = SeriesBudget.forJob(limits(0, 0), "bomb", SHARDS);
        long passed = 0;
        for (long hash = 0; hash < TargetState.MAX_TRACKED_SERIES; hash++) {
            passed += budget.take(hash, false) == null ? 1 : 0;
        }
        assertThat(passed).isEqualTo(TargetState.MAX_TRACKED_SERIES);
        assertThat(budget.take(TargetState.MAX_TRACKED_SERIES, false)).isEqualTo("target_state_limit");
        assertThat(budget.take(0, true)).isEqualTo("target_state_limit");

        // The largest state still fits the changelog's 8 MiB record limit.
        long[] hashes = new long[TargetState.MAX_TRACKED_SERIES];
        Arrays.setAll(hashes, i -> i);
        byte[] encoded = new TargetState("bomb", Labels.of("job", "bomb", "instance", "h:1"),
                15_000, 0, 0, hashes).encode();
        assertThat(encoded.length).isLessThan(8 * 1024 * 1024 - 128 * 1024);
    }
}
