package io.kprom.processor.rules;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.processor.state.BinaryReader;
import io.kprom.processor.state.BinaryWriter;
import io.kprom.processor.state.LabelsCodec;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import io.kprom.promql.storage.SampleArrays;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The windowed store of one rule group's input series, readable by the PromQL engine.
 *
 * <p>Layout (both stores changelogged):
 * <ul>
 *   <li>series store: {@code groupId(4) | seriesHash(8)} -> {@code lastTimestamp(8) | labels}</li>
 *   <li>samples store: {@code groupId(4) | seriesHash(8) | timestamp(8)} -> {@code value bits(8)}</li>
 * </ul>
 * Big-endian keys sort samples of a series by time, so a select is one prefix scan of the series
 * plus one range scan per matching series. Not thread-safe: used by one stream thread; a
 * {@link Querier} it returns is valid while the punctuation that opened it runs.
 */
public final class RuleWindow implements Queryable {
    private final int groupId;
    private final KeyValueStore<Bytes, byte[]> series;
    private final KeyValueStore<Bytes, byte[]> samples;
    /** Decoded series of the group, by metric name; rebuilt after the series store changes. */
    private java.util.Map<String, List<KeyValue<Long, Labels>>> seriesByName;

    public RuleWindow(int groupId, KeyValueStore<Bytes, byte[]> series, KeyValueStore<Bytes, byte[]> samples) {
        this.groupId = groupId;
        this.series = series;
        this.samples = samples;
    }

    /** Adds samples of one series (timestamps ascending); samples at or before {@code minTimestamp} are skipped. */
    public void append(Labels labels, List<Long> timestamps, List<Double> values, long minTimestamp) {
        long hash = labels.stableHash();
        Bytes seriesKey = seriesKey(hash);
        long lastTimestamp = Long.MIN_VALUE;
        for (int i = 0; i < timestamps.size(); i++) {
            long timestamp = timestamps.get(i);
            if (timestamp <= minTimestamp || timestamp < 0) {
                continue;
            }
            samples.put(sampleKey(hash, timestamp), ByteBuffer.allocate(8).putDouble(values.get(i)).array());
            lastTimestamp = Math.max(lastTimestamp, timestamp);
        }
        if (lastTimestamp == Long.MIN_VALUE) {
            return;
        }
        byte[] existing = series.get(seriesKey);
        if (existing == null || new BinaryReader(existing).readLong() < lastTimestamp) {
            BinaryWriter writer = new BinaryWriter(64);
            writer.writeLong(lastTimestamp);
            LabelsCodec.write(writer, labels);
            series.put(seriesKey, writer.toByteArray());
            if (existing == null) {
                seriesByName = null;
            }
        }
    }

    /** Deletes samples at or before {@code cutoff} and series with no sample after it. */
    public void prune(long cutoff) {
        seriesByName = null;
        List<Bytes> deadSeries = new ArrayList<>();
        List<Long> liveHashes = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator = series.range(seriesKey(0L), seriesKey(-1L))) {
            collect(iterator, cutoff, deadSeries, liveHashes);
        }
        List<Bytes> deadSamples = new ArrayList<>();
        for (long hash : liveHashes) {
            try (KeyValueIterator<Bytes, byte[]> iterator = samples.range(sampleKey(hash, 0), sampleKey(hash, Math.max(0, cutoff)))) {
                iterator.forEachRemaining(entry -> deadSamples.add(entry.key));
            }
        }
        for (Bytes key : deadSeries) {
            long hash = ByteBuffer.wrap(key.get()).getLong(4);
            try (KeyValueIterator<Bytes, byte[]> iterator = samples.range(sampleKey(hash, 0), sampleKey(hash, Long.MAX_VALUE))) {
                iterator.forEachRemaining(entry -> deadSamples.add(entry.key));
            }
            series.delete(key);
        }
        deadSamples.forEach(samples::delete);
    }

    private static void collect(KeyValueIterator<Bytes, byte[]> iterator, long cutoff, List<Bytes> dead, List<Long> live) {
        while (iterator.hasNext()) {
            KeyValue<Bytes, byte[]> entry = iterator.next();
            long lastTimestamp = new BinaryReader(entry.value).readLong();
            if (lastTimestamp <= cutoff) {
                dead.add(entry.key);
            } else {
                live.add(ByteBuffer.wrap(entry.key.get()).getLong(4));
            }
        }
    }

    @Override
    public Querier querier(long minTimeMillis, long maxTimeMillis) {
        return new WindowQuerier(minTimeMillis, maxTimeMillis);
    }

    /** Series that may match: those of the selected metric name when a matcher fixes it, else all. */
    private List<KeyValue<Long, Labels>> candidates(List<LabelMatcher> matchers) {
        if (seriesByName == null) {
            java.util.Map<String, List<KeyValue<Long, Labels>>> index = new java.util.HashMap<>();
            for (KeyValue<Long, Labels> entry : allSeries()) {
                index.computeIfAbsent(entry.value.getOrEmpty(Labels.METRIC_NAME), name -> new ArrayList<>()).add(entry);
            }
            seriesByName = index;
        }
        for (LabelMatcher matcher : matchers) {
            if (matcher.type() == LabelMatcher.Type.EQUAL && matcher.name().equals(Labels.METRIC_NAME)) {
                return seriesByName.getOrDefault(matcher.value(), List.of());
            }
        }
        List<KeyValue<Long, Labels>> all = new ArrayList<>();
        seriesByName.values().forEach(all::addAll);
        return all;
    }

    /** Every series of the window with its labels and hash, in key order. */
    private List<KeyValue<Long, Labels>> allSeries() {
        List<KeyValue<Long, Labels>> result = new ArrayList<>();
        // Keys compare as unsigned bytes: hash 0 is the group's first key, hash -1 (all 0xff) its last.
        try (KeyValueIterator<Bytes, byte[]> iterator = series.range(seriesKey(0L), seriesKey(-1L))) {
            while (iterator.hasNext()) {
                KeyValue<Bytes, byte[]> entry = iterator.next();
                BinaryReader reader = new BinaryReader(entry.value);
                reader.readLong();
                result.add(KeyValue.pair(ByteBuffer.wrap(entry.key.get()).getLong(4), LabelsCodec.read(reader)));
            }
        }
        return result;
    }

    private Bytes seriesKey(long hash) {
        return Bytes.wrap(ByteBuffer.allocate(12).putInt(groupId).putLong(hash).array());
    }

    private Bytes sampleKey(long hash, long timestamp) {
        return Bytes.wrap(ByteBuffer.allocate(20).putInt(groupId).putLong(hash).putLong(timestamp).array());
    }

    private final class WindowQuerier implements Querier {
        private final long minTime;
        private final long maxTime;

        WindowQuerier(long minTime, long maxTime) {
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        @Override
        public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
            long start = Math.max(0, Math.max(minTime, hints == null ? minTime : hints.startMillis()));
            long end = Math.min(maxTime, hints == null ? maxTime : hints.endMillis());
            List<KeyValue<Long, Labels>> matching = new ArrayList<>();
            for (KeyValue<Long, Labels> entry : candidates(matchers)) {
                if (matchesAll(entry.value, matchers)) {
                    matching.add(entry);
                }
            }
            if (sorted) {
                matching.sort(Comparator.comparing(entry -> entry.value));
            }
            var iterator = matching.iterator();
            SampleArrays buffer = new SampleArrays();
            return new SeriesSet() {
                private Labels labels;

                @Override
                public boolean next() {
                    while (iterator.hasNext()) {
                        KeyValue<Long, Labels> entry = iterator.next();
                        buffer.clear();
                        if (end >= start) {
                            try (KeyValueIterator<Bytes, byte[]> range = samples.range(sampleKey(entry.key, start),
                                    sampleKey(entry.key, end))) {
                                while (range.hasNext()) {
                                    KeyValue<Bytes, byte[]> sample = range.next();
                                    buffer.add(ByteBuffer.wrap(sample.key.get()).getLong(12),
                                            ByteBuffer.wrap(sample.value).getDouble());
                                }
                            }
                        }
                        if (buffer.length() > 0) {
                            labels = entry.value;
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public Labels labels() {
                    return labels;
                }

                @Override
                public SampleArrays samples() {
                    return buffer;
                }
            };
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> matchers) {
            TreeSet<String> values = new TreeSet<>();
            for (KeyValue<Long, Labels> entry : candidates(matchers)) {
                if (matchesAll(entry.value, matchers) && entry.value.has(name)) {
                    values.add(entry.value.get(name));
                }
            }
            return new ArrayList<>(values);
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) {
            TreeSet<String> names = new TreeSet<>();
            for (KeyValue<Long, Labels> entry : candidates(matchers)) {
                if (matchesAll(entry.value, matchers)) {
                    names.addAll(entry.value.names());
                }
            }
            return new ArrayList<>(names);
        }
    }

    private static boolean matchesAll(Labels labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
