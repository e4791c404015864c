package io.kprom.sink.storage;

import io.kprom.promql.storage.SampleArrays;
import io.kprom.sink.storage.chunk.ChunkDecoder;
import io.kprom.sink.storage.chunk.Chunks;
import io.kprom.sink.storage.chunk.XorChunkEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Rewrites the chunks of series with tombstones without the deleted samples, then drops the
 * tombstones; one atomic write batch per series. Runs with the store's write lock held and the head
 * flushed, so the chunks on disk are the whole series.
 */
final class TombstoneCleaner {
    private final RocksSeriesStore store;

    TombstoneCleaner(RocksSeriesStore store) {
        this.store = store;
    }

    void clean() {
        for (Map.Entry<Integer, long[]> entry : List.copyOf(store.tombstones.entrySet())) {
            int id = entry.getKey();
            try {
                cleanSeries(id, entry.getValue());
            } catch (RocksDBException e) {
                throw new StorageException("cannot clean tombstones of series " + id + ": " + e.getMessage(), e);
            }
        }
    }

    private void cleanSeries(int id, long[] intervals) throws RocksDBException {
        MemSeries series = store.seriesById.get(id);
        try (WriteBatch batch = new WriteBatch()) {
            if (series != null) {
                for (long block : store.blocksWith(id, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
                    rewriteBlock(batch, id, block, intervals);
                }
            }
            batch.delete(store.metaCf, KeyLayout.tombstoneKey(id));
            store.db.write(store.writeOptions, batch);
        }
        store.tombstones.remove(id, intervals);
        if (series != null) {
            store.forgetHead(series);
        }
    }

    private void rewriteBlock(WriteBatch batch, int id, long block, long[] intervals) throws RocksDBException {
        byte[] prefix = KeyLayout.seriesInBlockPrefix(block, id);
        SampleMerger merger = new SampleMerger();
        List<byte[]> oldKeys = new ArrayList<>();
        try (RocksIterator it = store.db.newIterator(store.chunksCf)) {
            for (it.seek(prefix); it.isValid() && KeyLayout.hasPrefix(it.key(), prefix); it.next()) {
                oldKeys.add(it.key());
                ChunkDecoder decoder = Chunks.decoder(it.value());
                while (decoder.next()) {
                    merger.add(decoder.timestamp(), decoder.value());
                }
            }
        }
        SampleArrays kept = new SampleArrays();
        merger.drainTo(kept, intervals);
        for (byte[] key : oldKeys) {
            batch.delete(store.chunksCf, key);
        }
        if (kept.length() == 0) {
            store.removeFromBlock(block, id, batch);
            return;
        }
        XorChunkEncoder encoder = null;
        for (int i = 0; i < kept.length(); i++) {
            if (encoder == null) {
                encoder = new XorChunkEncoder();
            }
            encoder.append(kept.timestamp(i), kept.value(i));
            if (encoder.count() == store.options.chunkMaxSamples()) {
                batch.put(store.chunksCf, KeyLayout.chunkKey(block, id, encoder.minTime()), Chunks.finish(encoder));
                encoder = null;
            }
        }
        if (encoder != null) {
            batch.put(store.chunksCf, KeyLayout.chunkKey(block, id, encoder.minTime()), Chunks.finish(encoder));
        }
    }
}
