package io.kprom.processor.target;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Remembers, per target, what each scraped label list became after target labels and
 * {@code metric_relabel_configs} (like Prometheus's scrape cache): a target exposes the same label
 * sets scrape after scrape, so relabeling, label merging and hashing run once per series instead of
 * once per sample. Results are valid only for the target labels and job policy they were computed
 * with; a target whose labels or policy changed starts afresh.
 *
 * <p>Memory is bounded: an entry not seen in a target's latest scrape is dropped when that scrape
 * ends, and at most {@code capacity} entries live in the cache (past that, series are relabeled
 * without being remembered). One instance per stream task; not thread-safe.
 */
final class RelabelCache {
    /** What a scraped label list becomes; {@link #DROPPED} when relabeling dropped it. */
    record Result(Labels labels, long hash, List<String> labelList) {
    }

    static final Result DROPPED = new Result(Labels.EMPTY, 0, List.of());

    private final int capacity;
    private final Map<String, TargetEntries> targets = new HashMap<>();
    private int size;

    RelabelCache(int capacity) {
        this.capacity = capacity;
    }

    /** Starts a scrape of {@code targetKey}; returns the view to look results up in and {@link #end} it. */
    Scrape begin(String targetKey, Labels targetLabels, JobPolicy policy) {
        TargetEntries entries = targets.get(targetKey);
        if (entries == null || !entries.targetLabels.equals(targetLabels) || !entries.policy.equals(policy)) {
            if (entries != null) {
                size -= entries.map.size();
            }
            entries = new TargetEntries(targetLabels, policy);
            targets.put(targetKey, entries);
        }
        entries.generation++;
        return new Scrape(entries);
    }

    /** Forgets a target (removed or expired). */
    void forget(String targetKey) {
        TargetEntries entries = targets.remove(targetKey);
        if (entries != null) {
            size -= entries.map.size();
        }
    }

    int size() {
        return size;
    }

    private static final class TargetEntries {
        final Labels targetLabels;
        final JobPolicy policy;
        final HashMap<RawKey, Entry> map = new HashMap<>();
        int generation;

        TargetEntries(Labels targetLabels, JobPolicy policy) {
            this.targetLabels = targetLabels;
            this.policy = policy;
        }
    }

    private static final class Entry {
        final Result result;
        int generation;

        Entry(Result result, int generation) {
            this.result = result;
            this.generation = generation;
        }
    }

    /** One scrape's view of its target's entries. */
    final class Scrape {
        private final TargetEntries entries;

        private Scrape(TargetEntries entries) {
            this.entries = entries;
        }

        /** The remembered result for this raw label list, or null. */
        Result get(List<String> rawLabels) {
            Entry entry = entries.map.get(new RawKey(rawLabels));
            if (entry == null) {
                return null;
            }
            entry.generation = entries.generation;
            return entry.result;
        }

        /** Remembers a result while the cache has room. */
        void put(List<String> rawLabels, Result result) {
            if (size >= capacity) {
                return;
            }
            if (entries.map.put(new RawKey(rawLabels), new Entry(result, entries.generation)) == null) {
                size++;
            }
        }

        /** Ends the scrape: drops entries of series the target no longer exposes. */
        void end() {
            Iterator<Entry> iterator = entries.map.values().iterator();
            while (iterator.hasNext()) {
                if (iterator.next().generation != entries.generation) {
                    iterator.remove();
                    size--;
                }
            }
        }
    }

    /** A raw label list compared element by element (Avro's list type has its own equality). */
    private static final class RawKey {
        private final List<String> labels;
        private final int hash;

        RawKey(List<String> labels) {
            this.labels = labels;
            int h = 1;
            for (int i = 0, n = labels.size(); i < n; i++) {
                h = 31 * h + labels.get(i).hashCode();
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof RawKey key) || key.hash != hash || key.labels.size() != labels.size()) {
                return false;
            }
            for (int i = 0, n = labels.size(); i < n; i++) {
                if (!labels.get(i).equals(key.labels.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
