package io.kprom.processor.target;

import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.series.SeriesShards;

/**
 * How many new series one scrape may pass on to each series shard: the active-series limit that
 * shard enforces for the scrape's job (the smaller of the global and the job limit, per shard).
 *
 * <p>Why the per-target stage needs this: the series stage admits at most that many series of a job
 * per shard, so once a scrape has sent that many series to a shard, every further new series there
 * would be dropped anyway. Without this budget a cardinality bomb (a target exposing a million series)
 * made the per-target stage track and forward all of them: a million state-store writes and changelog
 * records, a million series on the internal topic and an 8 MB target state, all in one exactly-once
 * transaction that outlived the transaction timeout, so the processor was fenced and reprocessed the
 * same scrape again and again. Series the target sent last scrape ({@code known}) always pass, as
 * active series always pass the series stage; so the budget never drops a series the series stage
 * would have admitted.
 *
 * <p>Independently of limits, one target never tracks more than {@link TargetState#MAX_TRACKED_SERIES}
 * series: its state is one changelog record, and a record over the changelog's size limit would fail
 * every transaction that carries it.
 *
 * <p>One instance per scrape; not thread-safe.
 */
final class SeriesBudget {
    private final int shards;
    private final long perShardLimit;
    private final int[] sent;
    private int passed;

    private SeriesBudget(int shards, long perShardLimit) {
        this.shards = shards;
        this.perShardLimit = perShardLimit;
        this.sent = perShardLimit == 0 ? null : new int[shards];
    }

    /** The budget of one scrape of {@code job}: no limit when neither the global nor the job limit is set. */
    static SeriesBudget forJob(SeriesLimits limits, String job, int shards) {
        long global = SeriesLimits.perShard(limits.globalLimit(), shards);
        long jobLimit = SeriesLimits.perShard(limits.jobLimit(job), shards);
        long limit = global == 0 ? jobLimit : jobLimit == 0 ? global : Math.min(global, jobLimit);
        return new SeriesBudget(shards, limit);
    }

    /**
     * Whether the series with this label hash may be passed on ({@code null}; it is counted then), or
     * the drop reason: {@code series_limit} or {@code target_state_limit}.
     *
     * @param known whether the target's previous scrape passed this series on
     */
    String take(long stableHash, boolean known) {
        if (passed >= TargetState.MAX_TRACKED_SERIES) {
            return "target_state_limit";
        }
        if (sent != null) {
            int shard = SeriesShards.shardOf(stableHash, shards);
            if (!known && sent[shard] >= perShardLimit) {
                return "series_limit";
            }
            sent[shard]++;
        }
        passed++;
        return null;
    }
}
