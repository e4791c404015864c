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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 *   <li>series store: {@code groupId(4) | seriesHash(8)} -> {@code timestamp of the sample that created it(8) | labels}</li>
 *   <li>samples store: {@code groupId(4) | seriesHash(8) | timestamp(8)} -> {@code value bits(8)}</li>
 * </ul>
 * The stores are the durable copy; queries and pruning use an in-memory mirror (labels and sample
 * arrays per series), loaded from the stores on first use after the processor (re)starts and kept
 * in step by every append and prune. So a sample costs one store write, and an evaluation reads
 * arrays instead of one store range scan per series. Memory is the window itself: the group's
 * series times the samples of its longest range. Not thread-safe: used by one stream thread; a
 * {@link Querier} it returns is valid while the punctuation that opened it runs.
 */
public final class RuleWindow implements Queryable {
    private static final Comparator<WindowSeries> BY_KEY = (a, b) -> Long.compareUnsigned(a.hash, b.hash);

    private final int groupId;
    private final KeyValueStore<Bytes, byte[]> series;
    private final KeyValueStore<Bytes, byte[]> samples;
    private Map<Long, WindowSeries> mirror;
    /** Series by metric name, each list in store key order; rebuilt after the series set changes. */
    private Map<String, List<WindowSeries>> seriesByName;

    public RuleWindow(int groupId, KeyValueStore<Bytes, byte[]> series, KeyValueStore<Bytes, byte[]> samples) {
        this.groupId = groupId;
        this.series = series;
        this.samples = samples;
    }

    /** Adds samples of one series (timestamps ascending); samples at or before {@code minTimestamp} are skipped. */
    public void append(Labels labels, List<Long> timestamps, List<Double> values, long minTimestamp) {
        append(labels, null, labels.stableHash(), timestamps, values, minTimestamp);
    }

    /**
     * Like {@link #append(Labels, List, List, long)} for a canonical Avro label list whose
     * {@link Labels#stableHash()} is {@code hash}; the list becomes a {@link Labels} only for a new series.
     */
    public void append(List<String> labelList, long hash, List<Long> timestamps, List<Double> values, long minTimestamp) {
        append(null, labelList, hash, timestamps, values, minTimestamp);
    }

    private void append(Labels known, List<String> labelList, long hash, List<Long> timestamps, List<Double> values,
            long minTimestamp) {
        Map<Long, WindowSeries> all = mirror();
        WindowSeries entry = all.get(hash);
        for (int i = 0; i < timestamps.size(); i++) {
            long timestamp = timestamps.get(i);
            if (timestamp <= minTimestamp || timestamp < 0) {
                continue;
            }
            double value = values.get(i);
            if (entry == null) {
                Labels labels = known != null ? known : Labels.fromList(labelList);
                entry = new WindowSeries(hash, labels);
                all.put(hash, entry);
                seriesByName = null;
                BinaryWriter writer = new BinaryWriter(64);
                writer.writeLong(timestamp);
                LabelsCodec.write(writer, labels);
                series.put(seriesKey(hash), writer.toByteArray());
            }
            samples.put(sampleKey(hash, timestamp), ByteBuffer.allocate(8).putDouble(value).array());
            entry.add(timestamp, value);
        }
    }

    /** Deletes samples at or before {@code cutoff} and series with no sample after it. */
    public void prune(long cutoff) {
        Iterator<WindowSeries> iterator = mirror().values().iterator();
        while (iterator.hasNext()) {
            WindowSeries entry = iterator.next();
            int dead = entry.countAtOrBefore(cutoff);
            for (int i = 0; i < dead; i++) {
                samples.delete(sampleKey(entry.hash, entry.timestamps[entry.start + i]));
            }
            entry.dropFirst(dead);
            if (entry.size() == 0) {
                series.delete(seriesKey(entry.hash));
                iterator.remove();
                seriesByName = null;
            }
        }
    }

    @Override
    public Querier querier(long minTimeMillis, long maxTimeMillis) {
        return new WindowQuerier(minTimeMillis, maxTimeMillis);
    }

    private Map<Long, WindowSeries> mirror() {
        if (mirror == null) {
            mirror = load();
        }
        return mirror;
    }

    /** Reads the group's series and samples from the stores (after a restart or restore). */
    private Map<Long, WindowSeries> load() {
        Map<Long, WindowSeries> loaded = new HashMap<>();
        // Keys compare as unsigned bytes: hash 0 is the group's first key, hash -1 (all 0xff) its last.
        try (KeyValueIterator<Bytes, byte[]> iterator = series.range(seriesKey(0L), seriesKey(-1L))) {
            while (iterator.hasNext()) {
                KeyValue<Bytes, byte[]> entry = iterator.next();
                BinaryReader reader = new BinaryReader(entry.value);
                reader.readLong();
                long hash = ByteBuffer.wrap(entry.key.get()).getLong(4);
                loaded.put(hash, new WindowSeries(hash, LabelsCodec.read(reader)));
            }
        }
        for (WindowSeries entry : loaded.values()) {
            try (KeyValueIterator<Bytes, byte[]> range = samples.range(sampleKey(entry.hash, 0), sampleKey(entry.hash, Long.MAX_VALUE))) {
                while (range.hasNext()) {
                    KeyValue<Bytes, byte[]> sample = range.next();
                    entry.add(ByteBuffer.wrap(sample.key.get()).getLong(12), ByteBuffer.wrap(sample.value).getDouble());
                }
            }
        }
        seriesByName = null;
        return loaded;
    }

    /** Series that may match: those of the selected metric name when a matcher fixes it, else all. */
    private List<WindowSeries> candidates(List<LabelMatcher> matchers) {
        if (seriesByName == null) {
            List<WindowSeries> sorted = new ArrayList<>(mirror().values());
            sorted.sort(BY_KEY);
            Map<String, List<WindowSeries>> index = new HashMap<>();
            for (WindowSeries entry : sorted) {
                index.computeIfAbsent(entry.labels.getOrEmpty(Labels.METRIC_NAME), name -> new ArrayList<>()).add(entry);
            }
            seriesByName = index;
        }
        for (LabelMatcher matcher : matchers) {
            if (matcher.type() == LabelMatcher.Type.EQUAL && matcher.name().equals(Labels.METRIC_NAME)) {
                return seriesByName.getOrDefault(matcher.value(), List.of());
            }
        }
        List<WindowSeries> all = new ArrayList<>();
        seriesByName.values().forEach(all::addAll);
        all.sort(BY_KEY);
        return all;
    }

    private Bytes seriesKey(long hash) {
        return Bytes.wrap(ByteBuffer.allocate(12).putInt(groupId).putLong(hash).array());
    }

    private Bytes sampleKey(long hash, long timestamp) {
        return Bytes.wrap(ByteBuffer.allocate(20).putInt(groupId).putLong(hash).putLong(timestamp).array());
    }

    /** One series of the window: labels and its samples in timestamp order (a sliding array). */
    private static final class WindowSeries {
        final long hash;
        final Labels labels;
        long[] timestamps = new long[8];
        double[] values = new double[8];
        int start;
        int end;

        WindowSeries(long hash, Labels labels) {
            this.hash = hash;
            this.labels = labels;
        }

        int size() {
            return end - start;
        }

        /** Adds a sample; a sample at an existing timestamp replaces it (as the store's put does). */
        void add(long timestamp, double value) {
            if (end > start && timestamps[end - 1] >= timestamp) {
                int at = Arrays.binarySearch(timestamps, start, end, timestamp);
                if (at >= 0) {
                    values[at] = value;
                    return;
                }
                insertAt(-at - 1, timestamp, value);
                return;
            }
            insertAt(end, timestamp, value);
        }

        private void insertAt(int at, long timestamp, double value) {
            if (end == timestamps.length) {
                int live = end - start;
                if (start > 0 && live < timestamps.length / 2) {
                    System.arraycopy(timestamps, start, timestamps, 0, live);
                    System.arraycopy(values, start, values, 0, live);
                } else {
                    timestamps = Arrays.copyOfRange(timestamps, start, start + Math.max(8, live * 2));
                    values = Arrays.copyOfRange(values, start, start + Math.max(8, live * 2));
                }
                at -= start;
                start = 0;
                end = live;
            }
            System.arraycopy(timestamps, at, timestamps, at + 1, end - at);
            System.arraycopy(values, at, values, at + 1, end - at);
            timestamps[at] = timestamp;
            values[at] = value;
            end++;
        }

        int countAtOrBefore(long cutoff) {
            int at = Arrays.binarySearch(timestamps, start, end, cutoff);
            int firstAfter = at >= 0 ? at + 1 : -at - 1;
            return firstAfter - start;
        }

        void dropFirst(int count) {
            start += count;
            if (start == end) {
                start = 0;
                end = 0;
            }
        }

        /** Index of the first sample at or after {@code timestamp}. */
        int from(long timestamp) {
            int at = Arrays.binarySearch(timestamps, start, end, timestamp);
            return at >= 0 ? at : -at - 1;
        }
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
            List<WindowSeries> matching = new ArrayList<>();
            for (WindowSeries entry : candidates(matchers)) {
                if (matchesAll(entry.labels, matchers)) {
                    matching.add(entry);
                }
            }
            if (sorted) {
                matching.sort(Comparator.comparing(entry -> entry.labels));
            }
            var iterator = matching.iterator();
            SampleArrays buffer = new SampleArrays();
            return new SeriesSet() {
                private Labels labels;

                @Override
                public boolean next() {
                    while (iterator.hasNext()) {
                        WindowSeries entry = iterator.next();
                        buffer.clear();
                        if (end >= start) {
                            for (int i = entry.from(start); i < entry.end && entry.timestamps[i] <= end; i++) {
                                buffer.add(entry.timestamps[i], entry.values[i]);
                            }
                        }
                        if (buffer.length() > 0) {
                            labels = entry.labels;
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
            for (WindowSeries entry : candidates(matchers)) {
                if (matchesAll(entry.labels, matchers) && entry.labels.has(name)) {
                    values.add(entry.labels.get(name));
                }
            }
            return new ArrayList<>(values);
        }

        @Override
        public List<String> labelNames(List<LabelMatcher> matchers) {
            TreeSet<String> names = new TreeSet<>();
            for (WindowSeries entry : candidates(matchers)) {
                if (matchesAll(entry.labels, matchers)) {
                    names.addAll(entry.labels.names());
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
