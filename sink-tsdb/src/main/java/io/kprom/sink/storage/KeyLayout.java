package io.kprom.sink.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * RocksDB keys of the store (documented in {@code docs/format.md}). Integers are big-endian; signed
 * timestamps have their sign bit flipped so byte order equals numeric order.
 */
final class KeyLayout {
    static final byte META_OFFSET = 'o';
    static final byte META_TOMBSTONE = 't';
    static final byte META_BLOCK = 'b';
    static final byte META_TIME_RANGE = 'r';
    static final byte META_VERSION = 'v';
    static final int IN_ORDER_CHUNK_KEY_LENGTH = 20;
    static final int OUT_OF_ORDER_CHUNK_KEY_LENGTH = 28;
    static final int FORMAT_VERSION = 1;

    private KeyLayout() {
    }

    static long orderable(long signed) {
        return signed ^ Long.MIN_VALUE;
    }

    /** Chunks CF: {@code blockStart(8) seriesId(4) minTime(8)}. */
    static byte[] chunkKey(long blockStart, int seriesId, long minTime) {
        return ByteBuffer.allocate(IN_ORDER_CHUNK_KEY_LENGTH).putLong(orderable(blockStart)).putInt(seriesId)
                .putLong(orderable(minTime)).array();
    }

    /** Chunks CF, out-of-order chunk: the in-order key plus a unique sequence number. */
    static byte[] outOfOrderChunkKey(long blockStart, int seriesId, long minTime, long sequence) {
        return ByteBuffer.allocate(OUT_OF_ORDER_CHUNK_KEY_LENGTH).putLong(orderable(blockStart)).putInt(seriesId)
                .putLong(orderable(minTime)).putLong(sequence).array();
    }

    /** Prefix of every chunk of one series in one block. */
    static byte[] seriesInBlockPrefix(long blockStart, int seriesId) {
        return ByteBuffer.allocate(12).putLong(orderable(blockStart)).putInt(seriesId).array();
    }

    /** First key of a block (inclusive lower bound for a range delete). */
    static byte[] blockStartKey(long blockStart) {
        return ByteBuffer.allocate(8).putLong(orderable(blockStart)).array();
    }

    static long chunkMinTime(byte[] key) {
        return orderable(ByteBuffer.wrap(key, 12, 8).getLong());
    }

    static int chunkSeriesId(byte[] key) {
        return ByteBuffer.wrap(key, 8, 4).getInt();
    }

    static long chunkBlock(byte[] key) {
        return orderable(ByteBuffer.wrap(key, 0, 8).getLong());
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Series CF: {@code seriesId(4)}. */
    static byte[] seriesKey(int seriesId) {
        return ByteBuffer.allocate(4).putInt(seriesId).array();
    }

    static int seriesId(byte[] key) {
        return ByteBuffer.wrap(key).getInt();
    }

    /** Default CF: {@code 'o' topic NUL partition(4)} -> next offset(8). */
    static byte[] offsetKey(SourcePartition partition) {
        byte[] topic = partition.topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + topic.length + 1 + 4).put(META_OFFSET).put(topic).put((byte) 0)
                .putInt(partition.partition()).array();
    }

    static SourcePartition offsetPartition(byte[] key) {
        int nul = key.length - 5;
        String topic = new String(key, 1, nul - 1, StandardCharsets.UTF_8);
        return new SourcePartition(topic, ByteBuffer.wrap(key, nul + 1, 4).getInt());
    }

    /** Default CF: {@code 't' seriesId(4)} -> pairs of (min, max) timestamps (8 + 8 each). */
    static byte[] tombstoneKey(int seriesId) {
        return ByteBuffer.allocate(5).put(META_TOMBSTONE).putInt(seriesId).array();
    }

    /** Default CF: {@code 'b' blockStart(8)} -> portable RoaringBitmap of series ids with chunks in the block. */
    static byte[] blockKey(long blockStart) {
        return ByteBuffer.allocate(9).put(META_BLOCK).putLong(orderable(blockStart)).array();
    }

    static long blockOfBlockKey(byte[] key) {
        return orderable(ByteBuffer.wrap(key, 1, 8).getLong());
    }

    static byte[] longValue(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long longOf(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }
}
