package io.kprom.processor.target;

import io.kprom.common.labels.Labels;
import io.kprom.processor.state.BinaryReader;
import io.kprom.processor.state.BinaryWriter;
import io.kprom.processor.state.LabelsCodec;

/**
 * What the per-target stage remembers about one target between scrapes (value of the
 * {@code target-state} store, changelogged). The label sets of the tracked series live in the
 * {@code target-series} store under (target, hash), written once when a series first appears, so
 * this value stays small: 8 bytes per series.
 *
 * <p>Value layout: version byte 1, job, target labels, scrape interval ms, last scrape timestamp ms,
 * last scrape wall-clock ms, count, then the sorted 64-bit hashes of the series the last scrape produced
 * (only series without explicit timestamps, which Prometheus does not stale-mark either).
 *
 * @param lastSeenWallMillis processor wall-clock time of the last batch, for expiry
 */
public record TargetState(String job, Labels targetLabels, long scrapeIntervalMillis, long lastScrapeMillis,
        long lastSeenWallMillis, long[] seriesHashes) {
    private static final int VERSION = 1;
    /**
     * Most series one target's state holds: the encoded value must fit the changelog's 8 MiB record
     * limit ({@code max.message.bytes} of the processor's internal topics), with 256 KiB left for the
     * job, target labels and record overhead.
     */
    public static final int MAX_TRACKED_SERIES = (8 * 1024 * 1024 - 256 * 1024) / 8;

    public byte[] encode() {
        BinaryWriter writer = new BinaryWriter(64 + 8 * seriesHashes.length);
        writer.writeByte(VERSION).writeString(job);
        LabelsCodec.write(writer, targetLabels);
        writer.writeLong(scrapeIntervalMillis).writeLong(lastScrapeMillis).writeLong(lastSeenWallMillis);
        writer.writeVarInt(seriesHashes.length);
        for (long hash : seriesHashes) {
            writer.writeLong(hash);
        }
        return writer.toByteArray();
    }

    public static TargetState decode(byte[] bytes) {
        BinaryReader reader = new BinaryReader(bytes);
        int version = reader.readByte();
        if (version != VERSION) {
            throw new IllegalStateException("unknown target-state version " + version);
        }
        String job = reader.readString();
        Labels labels = LabelsCodec.read(reader);
        long interval = reader.readLong();
        long last = reader.readLong();
        long wall = reader.readLong();
        long[] hashes = new long[reader.readVarInt()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = reader.readLong();
        }
        return new TargetState(job, labels, interval, last, wall, hashes);
    }
}
