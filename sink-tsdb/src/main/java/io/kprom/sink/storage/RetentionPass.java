package io.kprom.sink.storage;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;

/**
 * One retention pass: deletes whole blocks older than the time limit, then the oldest blocks while
 * the store exceeds the size limit (never the newest block), then series left without data. Each
 * block costs one range tombstone, so ingestion and queries are not held up.
 */
final class RetentionPass {
    private final RocksSeriesStore store;

    RetentionPass(RocksSeriesStore store) {
        this.store = store;
    }

    void run(long maxTime, long retentionMillis, long sizeLimitBytes) {
        if (maxTime == Long.MIN_VALUE) {
            return;
        }
        List<Long> blocks = store.allBlocks();
        List<Long> doomed = new ArrayList<>();
        long cutoff = maxTime - retentionMillis;
        for (long block : blocks) {
            if (block + store.blockMillis <= cutoff) {
                doomed.add(block);
            }
        }
        if (!doomed.isEmpty()) {
            TsdbMetrics.TIME_RETENTIONS.inc();
        }
        if (sizeLimitBytes > 0) {
            long size = store.diskSizeBytes();
            for (long block : doomed) {
                size -= store.blockSizeBytes(block);
            }
            boolean sizeHit = false;
            for (int i = doomed.size(); i < blocks.size() - 1 && size > sizeLimitBytes; i++) {
                long block = blocks.get(i);
                size -= store.blockSizeBytes(block);
                doomed.add(block);
                sizeHit = true;
            }
            if (sizeHit) {
                TsdbMetrics.SIZE_RETENTIONS.inc();
            }
        }
        try {
            store.deleteBlocks(doomed);
            if (!doomed.isEmpty()) {
                store.collectGarbageSeries();
            }
        } catch (RocksDBException e) {
            throw new StorageException("retention failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
