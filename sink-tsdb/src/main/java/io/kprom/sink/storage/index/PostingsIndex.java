package io.kprom.sink.storage.index;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.sink.storage.TsdbStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * Inverted index: label name -> value -> postings (series ids in a {@link RoaringBitmap}).
 * Matchers are resolved against a label's values, never against every series, so a regex costs one
 * match per distinct value of its label.
 *
 * <p>Thread-safe: a read-write lock guards the maps; results are fresh bitmaps the caller owns.
 */
public final class PostingsIndex {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<String, RoaringBitmap>> postings = new HashMap<>();
    private final RoaringBitmap all = new RoaringBitmap();

    public void add(int seriesId, Labels labels) {
        lock.writeLock().lock();
        try {
            all.add(seriesId);
            for (int i = 0; i < labels.size(); i++) {
                postings.computeIfAbsent(labels.name(i), name -> new TreeMap<>())
                        .computeIfAbsent(labels.value(i), value -> new RoaringBitmap())
                        .add(seriesId);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void remove(int seriesId, Labels labels) {
        lock.writeLock().lock();
        try {
            all.remove(seriesId);
            for (int i = 0; i < labels.size(); i++) {
                TreeMap<String, RoaringBitmap> values = postings.get(labels.name(i));
                if (values == null) {
                    continue;
                }
                RoaringBitmap ids = values.get(labels.value(i));
                if (ids != null) {
                    ids.remove(seriesId);
                    if (ids.isEmpty()) {
                        values.remove(labels.value(i));
                    }
                }
                if (values.isEmpty()) {
                    postings.remove(labels.name(i));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of indexed series. */
    public int seriesCount() {
        lock.readLock().lock();
        try {
            return all.getCardinality();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ids of all series. */
    public RoaringBitmap allSeries() {
        lock.readLock().lock();
        try {
            return all.clone();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Ids of series matching every matcher, with Prometheus's semantics: a matcher that matches the
     * empty string also selects series without the label. No matchers select every series.
     */
    public RoaringBitmap select(List<LabelMatcher> matchers) {
        lock.readLock().lock();
        try {
            RoaringBitmap result = null;
            // Intersections first: they shrink the set; subtractions apply to the result.
            for (LabelMatcher matcher : matchers) {
                if (!matcher.matchesEmpty()) {
                    RoaringBitmap matching = valuesMatching(matcher, true);
                    result = result == null ? matching : RoaringBitmap.and(result, matching);
                    if (result.isEmpty()) {
                        return result;
                    }
                }
            }
            if (result == null) {
                result = all.clone();
            }
            for (LabelMatcher matcher : matchers) {
                if (matcher.matchesEmpty()) {
                    // Series whose value does not match; series lacking the label match "".
                    result.andNot(valuesMatching(matcher, false));
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Union of postings of the label's values for which {@code matcher.matches(value) == wanted}. */
    private RoaringBitmap valuesMatching(LabelMatcher matcher, boolean wanted) {
        TreeMap<String, RoaringBitmap> values = postings.get(matcher.name());
        if (values == null) {
            return new RoaringBitmap();
        }
        if (matcher.type() == LabelMatcher.Type.EQUAL && wanted) {
            RoaringBitmap ids = values.get(matcher.value());
            return ids == null ? new RoaringBitmap() : ids.clone();
        }
        if (matcher.type() == LabelMatcher.Type.NOT_EQUAL && !wanted) {
            RoaringBitmap ids = values.get(matcher.value());
            return ids == null ? new RoaringBitmap() : ids.clone();
        }
        List<RoaringBitmap> selected = new ArrayList<>();
        for (Map.Entry<String, RoaringBitmap> entry : values.entrySet()) {
            if (matcher.matches(entry.getKey()) == wanted) {
                selected.add(entry.getValue());
            }
        }
        return RoaringBitmap.or(selected.iterator());
    }

    /** Sorted values of {@code name} among {@code series} (all series when null). */
    public List<String> labelValues(String name, RoaringBitmap series) {
        lock.readLock().lock();
        try {
            TreeMap<String, RoaringBitmap> values = postings.get(name);
            List<String> result = new ArrayList<>();
            if (values == null) {
                return result;
            }
            for (Map.Entry<String, RoaringBitmap> entry : values.entrySet()) {
                if (series == null || RoaringBitmap.intersects(entry.getValue(), series)) {
                    result.add(entry.getKey());
                }
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sorted label names among {@code series} (all series when null). */
    public List<String> labelNames(RoaringBitmap series) {
        lock.readLock().lock();
        try {
            List<String> result = new ArrayList<>();
            for (Map.Entry<String, TreeMap<String, RoaringBitmap>> entry : postings.entrySet()) {
                if (series == null) {
                    result.add(entry.getKey());
                    continue;
                }
                for (RoaringBitmap ids : entry.getValue().values()) {
                    if (RoaringBitmap.intersects(ids, series)) {
                        result.add(entry.getKey());
                        break;
                    }
                }
            }
            result.sort(Comparator.naturalOrder());
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of distinct name=value pairs. */
    public long labelPairCount() {
        lock.readLock().lock();
        try {
            long pairs = 0;
            for (TreeMap<String, RoaringBitmap> values : postings.values()) {
                pairs += values.size();
            }
            return pairs;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The four cardinality lists of {@link TsdbStats}, each limited to {@code topN} entries, largest first. */
    public CardinalityLists cardinality(int topN) {
        lock.readLock().lock();
        try {
            TopN byMetricName = new TopN(topN);
            TopN valueCountByName = new TopN(topN);
            TopN memoryByName = new TopN(topN);
            TopN byPair = new TopN(topN);
            for (Map.Entry<String, TreeMap<String, RoaringBitmap>> entry : postings.entrySet()) {
                String name = entry.getKey();
                long bytes = 0;
                for (Map.Entry<String, RoaringBitmap> value : entry.getValue().entrySet()) {
                    long series = value.getValue().getLongCardinality();
                    bytes += (long) value.getKey().length() * series;
                    byPair.offer(name + "=" + value.getKey(), series);
                    if (name.equals(Labels.METRIC_NAME)) {
                        byMetricName.offer(value.getKey(), series);
                    }
                }
                valueCountByName.offer(name, entry.getValue().size());
                memoryByName.offer(name, bytes);
            }
            return new CardinalityLists(byMetricName.sorted(), valueCountByName.sorted(), memoryByName.sorted(),
                    byPair.sorted());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The lists of {@link TsdbStats} in its field order. */
    public record CardinalityLists(List<TsdbStats.Entry> seriesCountByMetricName,
                                   List<TsdbStats.Entry> labelValueCountByLabelName,
                                   List<TsdbStats.Entry> memoryInBytesByLabelName,
                                   List<TsdbStats.Entry> seriesCountByLabelValuePair) {
    }

    /** Keeps the {@code limit} largest entries (ties broken by name). */
    private static final class TopN {
        private static final Comparator<TsdbStats.Entry> ORDER = Comparator.comparingLong(TsdbStats.Entry::value)
                .thenComparing(TsdbStats.Entry::name, Comparator.reverseOrder());
        private final int limit;
        private final PriorityQueue<TsdbStats.Entry> heap = new PriorityQueue<>(ORDER);

        TopN(int limit) {
            this.limit = Math.max(0, limit);
        }

        void offer(String name, long value) {
            if (limit == 0) {
                return;
            }
            TsdbStats.Entry entry = new TsdbStats.Entry(name, value);
            if (heap.size() < limit) {
                heap.add(entry);
            } else if (ORDER.compare(entry, heap.peek()) > 0) {
                heap.poll();
                heap.add(entry);
            }
        }

        List<TsdbStats.Entry> sorted() {
            List<TsdbStats.Entry> list = new ArrayList<>(heap);
            list.sort(ORDER.reversed());
            return list;
        }
    }
}
