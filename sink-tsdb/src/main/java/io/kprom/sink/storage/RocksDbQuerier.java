package io.kprom.sink.storage;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import io.kprom.sink.storage.chunk.ChunkDecoder;
import io.kprom.sink.storage.chunk.Chunks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link Querier} over a {@link RocksSeriesStore}, bounded to {@code [minTime, maxTime]}. Series
 * are chosen by the postings index; each series' samples come from its head (flushed chunks still in
 * memory, cut chunks, open chunk, out-of-order buffer) and, only when the range reaches back past what
 * the head holds or out-of-order chunks may be on disk, from its chunks on disk (one seek per block
 * holding the series). Series with no samples in range are skipped. See {@code docs/format.md}.
 * One query thread at a time; close it (and every series set) when done to release the RocksDB iterator.
 */
public final class RocksDbQuerier implements Querier {
    private final RocksSeriesStore store;
    private final long minTime;
    private final long maxTime;
    private final List<ChunkSeriesSet> open = new ArrayList<>();

    RocksDbQuerier(RocksSeriesStore store, long minTime, long maxTime) {
        this.store = store;
        this.minTime = minTime;
        this.maxTime = maxTime;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
        long start = hints == null ? minTime : Math.max(minTime, hints.startMillis());
        long end = hints == null ? maxTime : Math.min(maxTime, hints.endMillis());
        RoaringBitmap ids = store.index.select(matchers);
        List<MemSeries> series = new ArrayList<>(ids.getCardinality());
        for (int id : ids) {
            MemSeries s = store.seriesById.get(id);
            if (s != null) {
                series.add(s);
            }
        }
        if (sorted) {
            series.sort(Comparator.comparing(s -> s.labels));
        }
        ChunkSeriesSet set = new ChunkSeriesSet(series, start, end, store.blockSeriesSets(start, end));
        open.add(set);
        return set;
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        return store.index.labelValues(name, matchers == null || matchers.isEmpty() ? null : store.index.select(matchers));
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        return store.index.labelNames(matchers == null || matchers.isEmpty() ? null : store.index.select(matchers));
    }

    @Override
    public void close() {
        open.forEach(ChunkSeriesSet::close);
        open.clear();
    }

    private final class ChunkSeriesSet implements SeriesSet {
        private final List<MemSeries> series;
        private final long start;
        private final long end;
        private final BlockSeriesSets blocks;
        private final SampleMerger merger = new SampleMerger();
        /** Out-of-order chunks read from disk, decoded after the in-order data so that in-order samples win. */
        private final List<byte[]> outOfOrderChunks = new ArrayList<>();
        private final SampleArrays samples = new SampleArrays(256);
        private int position;
        private MemSeries current;
        private ReadOptions readOptions;
        private RocksIterator iterator;
        private long iteratorGeneration;

        ChunkSeriesSet(List<MemSeries> series, long start, long end, BlockSeriesSets blocks) {
            this.series = series;
            this.start = start;
            this.end = end;
            this.blocks = blocks;
        }

        @Override
        public boolean next() {
            while (position < series.size()) {
                MemSeries candidate = series.get(position++);
                if (load(candidate)) {
                    current = candidate;
                    return true;
                }
            }
            close();
            return false;
        }

        private boolean load(MemSeries candidate) {
            if (start > end) {
                return false;
            }
            merger.reset();
            // Head first, then disk: a flush between the two shows samples twice (merged away), never zero times.
            MemSeries.HeadSnapshot head = candidate.snapshot();
            // The disk holds nothing the head lacks when the head has every in-order sample from the range's
            // start on and no out-of-order chunk can be on disk: then no seek at all.
            boolean headOnly = start >= head.headFrom() && !head.outOfOrderOnDisk()
                    && start > store.outOfOrderUnknownUntil;
            if (!headOnly) {
                for (int i = 0; i < blocks.size(); i++) {
                    if (blocks.has(i, candidate.id)) {
                        readBlock(candidate.id, blocks.blockStart(i), head.headFrom());
                    }
                }
            }
            decodeHead(head, candidate.id);
            for (byte[] chunk : outOfOrderChunks) {
                decode(Chunks.decoder(chunk));
            }
            outOfOrderChunks.clear();
            if (head.outOfOrderTimestamps() != null) {
                long[] t = head.outOfOrderTimestamps();
                double[] v = head.outOfOrderValues();
                for (int i = 0; i < t.length; i++) {
                    if (t[i] >= start && t[i] <= end) {
                        merger.add(t[i], v[i]);
                    }
                }
            }
            merger.drainTo(samples, store.tombstones.get(candidate.id));
            return samples.length() > 0;
        }

        /**
         * The head's in-order chunks, oldest first. A chunk is skipped when the next one starts at or before
         * the range start (in-order chunks do not overlap), and a flushed chunk when its block was deleted.
         */
        private void decodeHead(MemSeries.HeadSnapshot head, int seriesId) {
            List<MemSeries.PendingChunk> flushed = head.flushed();
            List<MemSeries.PendingChunk> cut = head.cut();
            int chunks = flushed.size() + cut.size();
            for (int i = 0; i < chunks; i++) {
                MemSeries.PendingChunk chunk = i < flushed.size() ? flushed.get(i) : cut.get(i - flushed.size());
                if (chunk.minTime() > end) {
                    return;
                }
                long nextMinTime = i + 1 < chunks
                        ? (i + 1 < flushed.size() ? flushed.get(i + 1) : cut.get(i + 1 - flushed.size())).minTime()
                        : head.open() != null ? head.open().minTime() : Long.MAX_VALUE;
                if (nextMinTime <= start || (i < flushed.size() && !blocks.has(chunk.block(), seriesId))) {
                    continue;
                }
                decode(Chunks.decoder(chunk.bytes()));
            }
            if (head.open() != null && head.open().minTime() <= end && head.open().maxTime() >= start) {
                decode(head.open().decoder());
            }
        }

        /**
         * Reads one block's chunks of the series: in-order ones only for samples older than {@code headFrom}
         * (the head has the rest); out-of-order ones are set aside for after the head.
         */
        private void readBlock(int seriesId, long block, long headFrom) {
            RocksIterator it = iterator();
            byte[] prefix = KeyLayout.seriesInBlockPrefix(block, seriesId);
            // In-order chunks do not overlap: one whose successor starts at or before the range start holds
            // nothing in range, so each is held until the next in-order key shows whether to decode it.
            byte[] earlier = null;
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!KeyLayout.hasPrefix(key, prefix) || KeyLayout.chunkMinTime(key) > end) {
                    break;
                }
                if (key.length != KeyLayout.IN_ORDER_CHUNK_KEY_LENGTH) {
                    outOfOrderChunks.add(it.value());
                    continue;
                }
                long chunkMinTime = KeyLayout.chunkMinTime(key);
                if (earlier != null && chunkMinTime > start) {
                    decode(Chunks.decoder(earlier), headFrom);
                }
                earlier = chunkMinTime < headFrom ? it.value() : null;
            }
            if (earlier != null) {
                decode(Chunks.decoder(earlier), headFrom);
            }
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new StorageException("cannot read chunks of series " + seriesId + ": " + e.getMessage(), e);
            }
        }

        /** The chunk iterator, refreshed when the head was flushed since it was last positioned. */
        private RocksIterator iterator() {
            long generation = store.flushGeneration;
            if (iterator == null) {
                readOptions = new ReadOptions().setFillCache(true);
                iterator = store.newChunkIterator(readOptions);
                iteratorGeneration = generation;
            } else if (generation != iteratorGeneration) {
                try {
                    iterator.refresh();
                } catch (RocksDBException e) {
                    throw new StorageException("cannot refresh chunk iterator: " + e.getMessage(), e);
                }
                iteratorGeneration = generation;
            }
            return iterator;
        }

        private void decode(ChunkDecoder decoder) {
            decode(decoder, Long.MAX_VALUE);
        }

        /** Adds the decoder's samples in the range and before {@code before}. */
        private void decode(ChunkDecoder decoder, long before) {
            merger.addAll(decoder, start, Math.min(end, before - 1));
        }

        @Override
        public io.kprom.common.labels.Labels labels() {
            return current.labels;
        }

        @Override
        public SampleArrays samples() {
            return samples;
        }

        @Override
        public void close() {
            if (iterator != null) {
                iterator.close();
                readOptions.close();
                iterator = null;
                readOptions = null;
            }
        }
    }
}
