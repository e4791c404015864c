package io.kprom.scraper.scrape;

/**
 * Which shards of {@code scrape.shards} this replica owns right now. A target is scraped only when
 * {@code owns(target.shard(shards()))}. Thread-safe; the answer changes on rebalance.
 */
public interface ShardOwnership {
    /** Owns everything: a single scraper without a consumer group. */
    ShardOwnership ALL = new ShardOwnership() {
        @Override
        public int shards() {
            return 1;
        }

        @Override
        public boolean owns(int shard) {
            return true;
        }
    };

    /** Number of shards (partitions of {@code scrape.shards}); at least 1. */
    int shards();

    boolean owns(int shard);
}
