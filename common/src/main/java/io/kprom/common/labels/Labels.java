package io.kprom.common.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable label set sorted by name, stored as one flat array of alternating names and values.
 *
 * <pre>{@code
 * Labels labels = Labels.of("__name__", "up", "job", "node");
 * labels.get("job"); // "node"
 * }</pre>
 *
 * Thread-safe. Names are unique; empty values are dropped, as Prometheus treats an empty label
 * value as an absent label.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] namesAndValues;
    private int hash;

    private Labels(String[] sortedNamesAndValues) {
        this.namesAndValues = sortedNamesAndValues;
    }

    /** Builds from alternating name, value arguments in any order. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name, value pairs; got an odd count " + namesAndValues.length);
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.set(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** Wraps alternating name, value pairs already sorted by name without copying (trusted callers, e.g. decoders). */
    public static Labels fromSortedArray(String[] sortedNamesAndValues) {
        return new Labels(sortedNamesAndValues);
    }

    /** Builds from alternating name, value pairs in any order, e.g. an Avro label list. */
    public static Labels fromList(List<? extends CharSequence> namesAndValues) {
        if (namesAndValues.size() % 2 != 0) {
            throw new IllegalArgumentException("labels need name, value pairs; got an odd count " + namesAndValues.size());
        }
        String[] array = new String[namesAndValues.size()];
        boolean sorted = true;
        for (int i = 0; i < array.length; i++) {
            array[i] = namesAndValues.get(i).toString();
            if (i % 2 == 0 && i >= 2 && array[i - 2].compareTo(array[i]) >= 0) {
                sorted = false;
            }
        }
        if (sorted) {
            boolean hasEmpty = false;
            for (int i = 1; i < array.length; i += 2) {
                if (array[i].isEmpty()) {
                    hasEmpty = true;
                    break;
                }
            }
            if (!hasEmpty) {
                return new Labels(array);
            }
        }
        return of(array);
    }

    public static Labels fromMap(Map<String, String> map) {
        Builder builder = builder();
        map.forEach(builder::set);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.set(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder;
    }

    /** Number of labels. */
    public int size() {
        return namesAndValues.length / 2;
    }

    public boolean isEmpty() {
        return namesAndValues.length == 0;
    }

    public String name(int index) {
        return namesAndValues[2 * index];
    }

    public String value(int index) {
        return namesAndValues[2 * index + 1];
    }

    /** Value of the label, or null when absent. */
    public String get(String name) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = namesAndValues[2 * mid].compareTo(name);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return namesAndValues[2 * mid + 1];
            }
        }
        return null;
    }

    /** Value of the label, or "" when absent (Prometheus's convention). */
    public String getOrEmpty(String name) {
        String value = get(name);
        return value == null ? "" : value;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /** The metric name, or null. */
    public String metricName() {
        return get(METRIC_NAME);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            action.accept(namesAndValues[i], namesAndValues[i + 1]);
        }
    }

    /** A copy of the internal alternating name, value array. */
    public String[] toArray() {
        return namesAndValues.clone();
    }

    /** Alternating name, value list (e.g. for Avro). */
    public List<String> toList() {
        return Arrays.asList(namesAndValues.clone());
    }

    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        forEach(map::put);
        return map;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(size());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            names.add(namesAndValues[i]);
        }
        return names;
    }

    /** Labels without the metric name. */
    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? toBuilder().remove(METRIC_NAME).build() : this;
    }

    /**
     * Stable 64-bit FNV-1a hash of names and values with 0xff separators; identical across
     * processes and versions, so it may decide partitions and shards.
     */
    public long stableHash() {
        long h = 0xcbf29ce484222325L;
        for (String s : namesAndValues) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                h ^= (c & 0xff);
                h *= 0x100000001b3L;
                h ^= (c >>> 8);
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Labels labels && Arrays.equals(namesAndValues, labels.namesAndValues);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(namesAndValues);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Labels other) {
        int n = Math.min(namesAndValues.length, other.namesAndValues.length);
        for (int i = 0; i < n; i++) {
            int cmp = namesAndValues[i].compareTo(other.namesAndValues[i]);
            if (cmp != 0) {
                return cmp;
            }
        }
        return Integer.compare(namesAndValues.length, other.namesAndValues.length);
    }

    /** Prometheus's format: {@code {__name__="up", job="x"}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(namesAndValues[i]).append("=\"");
            escape(sb, namesAndValues[i + 1]);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    private static void escape(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** Mutable builder; setting an empty value removes the label. Not thread-safe. */
    public static final class Builder {
        private final TreeMap<String, String> labels = new TreeMap<>();

        public Builder set(String name, String value) {
            Objects.requireNonNull(name, "label name");
            if (value == null || value.isEmpty()) {
                labels.remove(name);
            } else {
                labels.put(name, value);
            }
            return this;
        }

        public Builder remove(String name) {
            labels.remove(name);
            return this;
        }

        public String get(String name) {
            return labels.get(name);
        }

        public Builder setAll(Labels other) {
            other.forEach(this::set);
            return this;
        }

        public Labels build() {
            if (labels.isEmpty()) {
                return EMPTY;
            }
            String[] array = new String[labels.size() * 2];
            int i = 0;
            for (Map.Entry<String, String> entry : labels.entrySet()) {
                array[i++] = entry.getKey();
                array[i++] = entry.getValue();
            }
            return new Labels(array);
        }
    }
}
