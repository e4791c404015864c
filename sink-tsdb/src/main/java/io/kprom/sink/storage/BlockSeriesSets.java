package io.kprom.sink.storage;

import org.roaringbitmap.RoaringBitmap;

/**
 * Which series have chunks in which block, for the blocks one query reads: private copies, so a query
 * checks every series without taking the store's lock. Immutable after construction; not shared
 * between queries.
 */
final class BlockSeriesSets {
    static final BlockSeriesSets EMPTY = new BlockSeriesSets(new long[0], new RoaringBitmap[0]);

    private final long[] blockStarts;
    private final RoaringBitmap[] seriesIds;

    BlockSeriesSets(long[] blockStarts, RoaringBitmap[] seriesIds) {
        this.blockStarts = blockStarts;
        this.seriesIds = seriesIds;
    }

    /** Blocks, oldest first. */
    int size() {
        return blockStarts.length;
    }

    long blockStart(int index) {
        return blockStarts[index];
    }

    boolean has(int index, int seriesId) {
        return seriesIds[index].contains(seriesId);
    }

    /** Whether the series has chunks in the block starting at {@code blockStart} (false for a block not copied). */
    boolean has(long blockStart, int seriesId) {
        for (int i = 0; i < blockStarts.length; i++) {
            if (blockStarts[i] == blockStart) {
                return seriesIds[i].contains(seriesId);
            }
        }
        return false;
    }
}
